"""Forms of the mailbox: public (``public``) and staff (``admin``)."""

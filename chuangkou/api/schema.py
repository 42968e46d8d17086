def only_public_api(endpoints):
    """Document /api/v1/ only; Wagtail's internal admin API is not part of our contract."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]

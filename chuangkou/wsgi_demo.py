"""WSGI entry for the local demo: development settings (plain HTTP on 127.0.0.1, generated
secret key under var/) with DEBUG off, served by granian like production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangkou.settings.development")
application = get_wsgi_application()

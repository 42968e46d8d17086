"""The production nginx configuration's switches."""

import pytest
from django.core.management import CommandError

from chuangkou.publishing.management.commands.render_nginx_config import render_nginx_config

ARGUMENTS = dict(listen="127.0.0.1:8080", upstream="127.0.0.1:8000",
                 published_root="/srv/published", static_root="/srv/static",
                 media_root="/srv/media", server_names=["www.example.gov.cn"])


def page_location(text: str) -> str:
    start = text.index("location / {")
    return text[start:text.index("location = /sitemap.xml")]


def test_published_files_are_not_descriptor_cached_by_default():
    location = page_location(render_nginx_config(**ARGUMENTS))
    assert "open_file_cache max=" not in location
    assert "open_file_cache_valid " not in location.replace("open_file_cache_valid seconds", "")


def test_descriptor_cache_can_be_chosen_with_its_staleness():
    location = page_location(render_nginx_config(**ARGUMENTS, open_file_cache_valid=2))
    assert "open_file_cache max=100000 inactive=60s;" in location
    assert "open_file_cache_valid 2s;" in location


def test_negative_staleness_is_refused():
    with pytest.raises(CommandError, match="open-file-cache-valid"):
        render_nginx_config(**ARGUMENTS, open_file_cache_valid=-1)

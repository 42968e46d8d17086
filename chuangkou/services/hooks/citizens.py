"""网上办事 in the citizen's account (accounts.homepage): the homepage sections, the download of
their data and what closing the account does to their records."""

from wagtail import hooks

from chuangkou.accounts import queries as account_queries

from ..actions.citizens import anonymise_citizen_records
from ..queries.citizens import citizen_services_data, homepage_sections


@hooks.register("citizen_homepage_sections")
def services_homepage_sections(*, user):
    if account_queries.citizen_account_of(user) is None:
        return []
    return homepage_sections(user)


@hooks.register("citizen_data_export")
def services_data_export(*, user):
    return citizen_services_data(user)


@hooks.register("citizen_account_closing")
def services_account_closing(*, user):
    return anonymise_citizen_records(user=user)

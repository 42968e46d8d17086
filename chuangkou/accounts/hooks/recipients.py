"""How notifications reach a citizen (hook ``notification_recipient``): their verified addresses
and the channels they chose. An address not yet verified is never used here: codes that verify
it are sent to it explicitly. A closed account receives nothing; a user without a citizen
account (staff) is left to the other resolvers."""

from wagtail import hooks

from chuangkou.notifications.choices import Channel
from chuangkou.notifications.recipients import Recipient

from .. import tasks_registration  # noqa: F401  (registers the periodic purge)
from ..choices import AccountStatus
from ..models import CitizenAccount, PersonalData


@hooks.register("notification_recipient")
def citizen_recipient(user) -> Recipient | None:
    if user is None or getattr(user, "pk", None) is None:
        return None
    account = (CitizenAccount.objects.select_related("personal_data")
               .filter(user_id=user.pk).first())
    if account is None:
        return None
    if account.status != AccountStatus.ACTIVE:
        return Recipient(channels=(), is_reachable=False)
    try:
        personal_data = account.personal_data
    except PersonalData.DoesNotExist:
        personal_data = None
    email = mobile = ""
    if personal_data is not None:
        email = personal_data.email if personal_data.email_verified_at else ""
        mobile = personal_data.mobile if personal_data.mobile_verified_at else ""
    channels = tuple(channel for channel, wanted in (
        (Channel.EMAIL, account.notify_by_email), (Channel.SMS, account.notify_by_sms),
        (Channel.SITE, account.notify_in_site)) if wanted)
    return Recipient(email=email, mobile=mobile, channels=channels, is_reachable=True)

"""Letters built through the actions, as writers and staff make them.

``make_letter`` submits a letter (and assigns it when ``assign_to`` is given); ``answer_letter``
drafts, submits and approves a reply through the handling actions.
"""

import itertools

from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Body, Membership

from ..choices import LetterChannel, LetterStatus
from ..models import Letter, LetterKind

_sequence = itertools.count(1)

DEFAULT_TITLE = "关于和平路小学周边交通拥堵的咨询"
DEFAULT_CONTENT = "每天上学放学时段和平路小学门口车辆拥堵，请问是否有计划增设临时停车点或调整交通信号？"


def next_token() -> str:
    return f"factory-token-{next(_sequence)}"


def letter_draft(*, kind_code: str = "zixun", addressed_body: Body | None = None,
                 title: str = DEFAULT_TITLE, content: str = DEFAULT_CONTENT,
                 may_publish: bool = True, **extra):
    from ..actions.intake import LetterDraft

    return LetterDraft(kind=LetterKind.objects.get(code=kind_code),
                       addressed_body=addressed_body, title=title, content=content,
                       may_publish=may_publish, **extra)


def writer_input(*, name: str = "王小明", phone: str = "13912345678",
                 email: str = "wang.xiaoming@example.com", address: str = "示例市东城区和平路12号"):
    from ..actions.intake import WriterInput

    return WriterInput(name=name, phone=phone, email=email, address=address)


def _dispatcher_for(body: Body, cluster=None):
    """A dispatcher whose scope covers ``body``: the cluster's city dispatcher, else the
    nearest one at or above the body."""
    if cluster is not None:
        return cluster.user("city", Role.LETTER_DISPATCHER)
    for candidate in [body, *reversed(list(body.get_ancestors()))]:
        membership = (Membership.objects.select_related("user")
                      .filter(body=candidate, role=Role.LETTER_DISPATCHER).first())
        if membership is not None:
            return membership.user
    raise LookupError(f"no letter dispatcher at or above {body}")


def _top_dispatcher(cluster=None):
    if cluster is not None:
        return cluster.user("city", Role.LETTER_DISPATCHER)
    membership = (Membership.objects.select_related("user")
                  .filter(body__depth=1, role=Role.LETTER_DISPATCHER).first())
    if membership is None:
        raise LookupError("no letter dispatcher of a top body")
    return membership.user


def make_letter(*, cluster=None, kind_code: str = "zixun", addressed_body: Body | None = None,
                title: str = DEFAULT_TITLE, content: str = DEFAULT_CONTENT,
                may_publish: bool = True, writer_name: str = "王小明",
                email: str = "wang.xiaoming@example.com", phone: str = "13912345678",
                address: str = "示例市东城区和平路12号", assign_to: Body | None = None,
                user=None, form_token: str | None = None,
                channel: str = LetterChannel.WEBSITE, attachments=()) -> Letter:
    """A letter submitted through ``submit_letter``; with ``assign_to`` it ends up assigned to
    that body (released if held, dispatched if waiting, forwarded if routed elsewhere) by the
    city dispatcher."""
    from .. import actions

    letter, _code = actions.submit_letter(
        draft=letter_draft(kind_code=kind_code, addressed_body=addressed_body, title=title,
                           content=content, may_publish=may_publish),
        writer=writer_input(name=writer_name, phone=phone, email=email, address=address),
        channel=channel, form_token=form_token or next_token(), user=user,
        attachments=list(attachments))
    if assign_to is None:
        return letter
    if letter.status == LetterStatus.HELD:
        letter = actions.release_held_letter(letter=letter, actor=_top_dispatcher(cluster))
    if letter.status == LetterStatus.AWAITING_DISPATCH:
        actor = (_top_dispatcher(cluster) if letter.addressed_body is None
                 else _dispatcher_for(assign_to, cluster))
        letter = actions.dispatch_letter(letter=letter, actor=actor, body=assign_to)
    elif letter.assigned_body_id != assign_to.pk:
        letter = actions.forward_letter(letter=letter, actor=_dispatcher_for(assign_to, cluster),
                                        body=assign_to, reason="按职责转交办理")
    return Letter.objects.get(pk=letter.pk)


def make_letter_with_code(**kwargs) -> tuple[Letter, str]:
    """A letter as the writer gets it: the letter and its query code (no assignment)."""
    from .. import actions

    draft_fields = {name: kwargs.pop(name) for name in
                    ("kind_code", "addressed_body", "title", "content", "may_publish")
                    if name in kwargs}
    writer_fields = {name: kwargs.pop(name) for name in ("name", "phone", "email", "address")
                     if name in kwargs}
    return actions.submit_letter(draft=letter_draft(**draft_fields),
                                 writer=writer_input(**writer_fields),
                                 form_token=kwargs.pop("form_token", None) or next_token(),
                                 **kwargs)


def answer_letter(letter: Letter, cluster, *, text: str = "您好，经核实，已协调交警部门在上下学时段"
                  "加强疏导，并将于下月增设临时停车点。感谢您的关注。") -> Letter:
    """Draft → review → approve a reply by the assigned body's handler and reviewer (the
    handling actions)."""
    from .. import actions

    letter = Letter.objects.select_related("assigned_body").get(pk=letter.pk)
    if letter.assigned_body is None:
        raise ValueError(f"{letter} is not assigned to a body")
    slug = letter.assigned_body.slug
    reply = actions.submit_reply_for_review(
        letter=letter, actor=cluster.user(slug, Role.LETTER_HANDLER), text=text)
    actions.approve_reply(reply=reply, actor=cluster.user(slug, Role.LETTER_REVIEWER))
    return Letter.objects.get(pk=letter.pk)

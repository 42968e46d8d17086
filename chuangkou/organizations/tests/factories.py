"""Factories that build bodies and staff through the actions, as the application does."""

import itertools

import factory
from django.contrib.auth import get_user_model

from chuangkou.core.validators import credit_code_check_character
from chuangkou.organizations import actions
from chuangkou.organizations.choices import BodyKind

_sequence = itertools.count(1)


def make_credit_code(seed: int) -> str:
    """A valid 统一社会信用代码 (11 = 机关, then a division code and a sequence)."""
    first_seventeen = f"11330100{seed:09d}"
    return first_seventeen + credit_code_check_character(first_seventeen)


def make_body(*, parent=None, name=None, kind=BodyKind.DEPARTMENT, slug=None, **extra):
    number = next(_sequence)
    return actions.create_body(
        parent=parent,
        name=name or f"示例市第{number}局",
        short_name=extra.pop("short_name", (name or f"第{number}局")[:40]),
        slug=slug or f"body-{number}",
        kind=kind,
        credit_code=extra.pop("credit_code", make_credit_code(number + 1000)),
        division_code=extra.pop("division_code", "330100"),
        **extra,
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.cn")
    password = factory.PostGenerationMethodCall("set_password", "Correct-Horse-2026")

    @factory.post_generation
    def persist_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_staff(*, body, role, username=None):
    user = UserFactory(username=username) if username else UserFactory()
    actions.add_membership(user=user, body=body, role=role)
    return user

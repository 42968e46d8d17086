"""Factories for sites, columns and articles, built through the actions."""

import itertools

from chuangkou.sitecluster import actions
from chuangkou.sitecluster.choices import ColumnKind

_sequence = itertools.count(1)


def make_site(*, owner_body, is_portal=False, parent_page=None, hostname="", **extra):
    number = next(_sequence)
    return actions.create_cluster_site(
        owner_body=owner_body,
        name=extra.pop("name", f"{owner_body.name}网站"),
        slug=extra.pop("slug", f"site-{number}"),
        identification_code=extra.pop("identification_code", f"330100{number:04d}"),
        sponsor=extra.pop("sponsor", owner_body.name),
        is_portal=is_portal,
        parent_page=parent_page,
        hostname=hostname,
        **extra,
    )


def make_column(*, parent, kind=ColumnKind.NEWS, responsible_body=None, **extra):
    number = next(_sequence)
    return actions.create_column(
        parent=parent,
        title=extra.pop("title", f"栏目{number}"),
        slug=extra.pop("slug", f"column-{number}"),
        kind=kind,
        responsible_body=responsible_body,
        **extra,
    )


def make_article(*, column, **extra):
    number = next(_sequence)
    return actions.create_article(
        column=column,
        title=extra.pop("title", f"示例市政务动态第{number}号"),
        slug=extra.pop("slug", f"article-{number}"),
        body=extra.pop("body", "<p>示例市人民政府召开常务会议，研究部署近期重点工作。</p>"),
        source=extra.pop("source", "示例市人民政府办公厅"),
        **extra,
    )

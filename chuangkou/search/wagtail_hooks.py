"""The search admin (搜索管理): one "搜索" menu with the tuning screens (同义词, 政务词库,
推荐结果), the statistics (检索统计) and the index status (索引状态). The periodic tasks are
registered by ``hooks``, which ``apps.SearchConfig.ready`` loads."""

from wagtail import hooks

from .viewsets import SearchViewSetGroup


@hooks.register("register_admin_viewset")
def register_search_viewsets():
    return SearchViewSetGroup()

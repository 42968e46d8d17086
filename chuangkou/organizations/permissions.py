"""What each role may do, as data. ``actions.sync_body_role_groups`` turns it into Wagtail
groups, page permissions and collection permissions so nobody edits permissions per page.

The three administrators are kept apart (等保 2.0 三员分立): the system administrator runs the
cluster but does not see audit records; the auditor sees audit records and nothing else.
"""

from .choices import Role

# Roles that act inside their own bodies' sites and columns.
BODY_ROLES = (
    Role.CONTRIBUTOR,
    Role.EDITOR,
    Role.REVIEWER,
    Role.CONFIDENTIALITY_REVIEWER,
    Role.SITE_ADMINISTRATOR,
    Role.DISCLOSURE_OFFICER,
    Role.DISCLOSURE_OFFICE_HEAD,
    Role.LETTER_HANDLER,
    Role.LETTER_REVIEWER,
    Role.LETTER_DISPATCHER,
    Role.LETTER_SUPERVISOR,
    Role.SERVICE_ITEM_MANAGER,
    Role.SERVICE_HANDLER,
    Role.SERVICE_SUPERVISOR,
)
# Roles that act across the whole cluster, whichever body the membership names.
CLUSTER_ROLES = (Role.SYSTEM_ADMINISTRATOR, Role.AUDITOR, Role.ACCOUNT_OFFICER)

# Wagtail page permission types (wagtail.models.PAGE_PERMISSION_TYPES) per role. "add" alone
# lets a contributor create pages and edit the drafts they own, never publish.
PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.CONTRIBUTOR: ("add",),
    Role.EDITOR: ("add", "change", "lock"),
    Role.REVIEWER: ("add", "change", "lock", "publish"),
    Role.CONFIDENTIALITY_REVIEWER: ("change", "lock"),
    Role.SITE_ADMINISTRATOR: ("add", "change", "lock", "unlock", "publish", "bulk_delete"),
    Role.SYSTEM_ADMINISTRATOR: ("add", "change", "lock", "unlock", "publish", "bulk_delete"),
    Role.AUDITOR: (),
    Role.ACCOUNT_OFFICER: (),
    # Disclosure staff keep the catalogue metadata of their bodies' pages; the pages themselves
    # stay with the editors and reviewers.
    Role.DISCLOSURE_OFFICER: (),
    Role.DISCLOSURE_OFFICE_HEAD: (),
    Role.LETTER_HANDLER: (),
    Role.LETTER_REVIEWER: (),
    Role.LETTER_DISPATCHER: (),
    Role.LETTER_SUPERVISOR: (),
    Role.SERVICE_ITEM_MANAGER: (),
    Role.SERVICE_HANDLER: (),
    Role.SERVICE_SUPERVISOR: (),
}

# Collection permissions (documents and images) on the body's own collection.
COLLECTION_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.CONTRIBUTOR: (
        "wagtaildocs.add_document", "wagtaildocs.choose_document",
        "wagtailimages.add_image", "wagtailimages.choose_image",
    ),
    Role.EDITOR: (
        "wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document",
        "wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image",
    ),
    Role.REVIEWER: (
        "wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document",
        "wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image",
    ),
    Role.CONFIDENTIALITY_REVIEWER: ("wagtaildocs.choose_document", "wagtailimages.choose_image"),
    Role.SITE_ADMINISTRATOR: (
        "wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.delete_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.delete_image",
        "wagtailimages.choose_image",
    ),
    Role.SYSTEM_ADMINISTRATOR: (
        "wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.delete_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.delete_image",
        "wagtailimages.choose_image",
    ),
    Role.AUDITOR: (),
    Role.ACCOUNT_OFFICER: (),
    Role.DISCLOSURE_OFFICER: ("wagtaildocs.choose_document",),
    Role.DISCLOSURE_OFFICE_HEAD: ("wagtaildocs.choose_document",),
    Role.LETTER_HANDLER: (),
    Role.LETTER_REVIEWER: (),
    Role.LETTER_DISPATCHER: (),
    Role.LETTER_SUPERVISOR: (),
    # Blank forms and filled examples of the body's service materials (空白表格, 填写样例).
    Role.SERVICE_ITEM_MANAGER: (
        "wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document",
    ),
    Role.SERVICE_HANDLER: (),
    Role.SERVICE_SUPERVISOR: (),
}

# Managing the content-check lexicon and expression rules (敏感词库, 表述规则): the
# confidentiality reviewers who judge findings, and the system administrators who run the cluster.
CONTENT_CHECK_RULE_PERMISSIONS = (
    "publishing.add_lexiconentry", "publishing.change_lexiconentry",
    "publishing.delete_lexiconentry", "publishing.view_lexiconentry",
    "publishing.add_expressionrule", "publishing.change_expressionrule",
    "publishing.delete_expressionrule", "publishing.view_expressionrule",
)

# 搜索: what the system administrators tune (同义词, 政务词库, 推荐结果), the search statistics
# (检索统计: queries can be personal, so nobody else sees them) and the index status (索引状态,
# which reads the change log).
SEARCH_PERMISSIONS = (
    "search.add_synonym", "search.change_synonym", "search.delete_synonym",
    "search.view_synonym",
    "search.add_governmentterm", "search.change_governmentterm",
    "search.delete_governmentterm", "search.view_governmentterm",
    "search.add_bestbet", "search.change_bestbet", "search.delete_bestbet",
    "search.view_bestbet",
    "search.view_querystatistic", "search.view_indexchange",
)

# 政府信息公开: the catalogue records of the body's pages and the applications to the body.
# Object-level limits (only the bodies a user holds the role in) are applied by the disclosure
# admin views.
DISCLOSURE_PERMISSIONS = (
    "disclosure.add_disclosurerecord", "disclosure.change_disclosurerecord",
    "disclosure.view_disclosurerecord",
    "disclosure.add_cataloguecategory", "disclosure.change_cataloguecategory",
    "disclosure.view_cataloguecategory",
    "disclosure.add_disclosureapplication", "disclosure.change_disclosureapplication",
    "disclosure.view_disclosureapplication",
    "disclosure.add_applicationappeal", "disclosure.change_applicationappeal",
    "disclosure.view_applicationappeal",
)

# 政民互动: model-level rights per letter role. Which letters a user may act on (their bodies,
# or their bodies and every body below for dispatchers and supervisors) is decided by
# ``mailbox.queries.letters_visible_to`` and the mailbox actions.
LETTER_HANDLER_PERMISSIONS = ("mailbox.view_letter", "mailbox.handle_letter",
                              "mailbox.view_writer_details")
LETTER_REVIEWER_PERMISSIONS = (*LETTER_HANDLER_PERMISSIONS, "mailbox.review_letter_reply",
                               "mailbox.publish_letter")
LETTER_DISPATCHER_PERMISSIONS = ("mailbox.view_letter", "mailbox.dispatch_letter",
                                 "mailbox.view_writer_details", "mailbox.manage_mailbox")
LETTER_SUPERVISOR_PERMISSIONS = ("mailbox.view_letter", "mailbox.supervise_letter",
                                 "mailbox.review_letter_reply", "mailbox.publish_letter")
# 网上办事: model-level rights per service role. Which items, applications, bookings and ratings
# a user may act on (their bodies, or their bodies and every body below for supervisors) is
# decided by ``services.queries.access`` and the services actions.
SERVICE_ITEM_MANAGER_PERMISSIONS = ("services.manage_service_items",
                                    "services.manage_life_event_guides",
                                    "services.manage_bookings")
SERVICE_HANDLER_PERMISSIONS = ("services.handle_service_applications",)
SERVICE_SUPERVISOR_PERMISSIONS = ("services.supervise_services",)
# 用户: real-name and enterprise verification, and opening a citizen's personal data.
ACCOUNT_OFFICER_PERMISSIONS = ("accounts.verify_identities", "accounts.view_citizen_personal_data",
                               "accounts.view_citizenaccount")
# Model-level permissions ("app_label.codename"). Object-level limits (a site administrator
# edits only the sites of their bodies) are applied by the admin viewsets' permission policies.
MODEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.CONTRIBUTOR: ("wagtailadmin.access_admin",),
    # change_articlesubmission opens the inbox of submissions (采用/不采用); which ones a user
    # may decide still depends on being able to edit the target column.
    Role.EDITOR: (
        "wagtailadmin.access_admin",
        "sitecluster.add_articlesubmission", "sitecluster.change_articlesubmission",
    ),
    Role.REVIEWER: (
        "wagtailadmin.access_admin",
        "sitecluster.add_articlesubmission", "sitecluster.change_articlesubmission",
        "sitecluster.view_articlesubmission",
    ),
    Role.CONFIDENTIALITY_REVIEWER: ("wagtailadmin.access_admin", *CONTENT_CHECK_RULE_PERMISSIONS),
    Role.SITE_ADMINISTRATOR: (
        "wagtailadmin.access_admin",
        "sitecluster.add_articlesubmission",
        "sitecluster.change_articlesubmission",
        "sitecluster.view_articlesubmission",
        "sitecluster.change_clustersite",
        "sitecluster.view_clustersite",
    ),
    Role.SYSTEM_ADMINISTRATOR: (
        "wagtailadmin.access_admin",
        "organizations.add_body", "organizations.change_body", "organizations.view_body",
        "organizations.add_membership", "organizations.delete_membership",
        "organizations.view_membership",
        "sitecluster.add_clustersite", "sitecluster.change_clustersite",
        "sitecluster.view_clustersite",
        "sitecluster.view_articlesubmission",
        "auth.add_user", "auth.change_user", "auth.view_user",
        *CONTENT_CHECK_RULE_PERMISSIONS,
        # Review chains (审核流程) and their steps, assigned to sites and columns.
        "wagtailcore.add_workflow", "wagtailcore.change_workflow",
        "wagtailcore.add_task", "wagtailcore.change_task",
        # The working-day calendar (工作日历): holiday notices that statutory deadlines use.
        "core.add_workingdayoverride", "core.change_workingdayoverride",
        "core.delete_workingdayoverride", "core.view_workingdayoverride",
        # 政民互动 settings: letter kinds, time limits, routing rules, Open311 client keys.
        "mailbox.manage_mailbox",
        # 业务系统对接: department approval systems' API keys and webhooks (网上办事).
        "services.manage_back_office_systems",
        # 通知: the wording of notifications, and the delivery records (without personal data).
        "notifications.manage_notification_templates", "notifications.view_delivery",
        "notifications.retry_delivery",
        *SEARCH_PERMISSIONS,
    ),
    Role.AUDITOR: ("wagtailadmin.access_admin", "core.view_auditevent"),
    Role.ACCOUNT_OFFICER: ("wagtailadmin.access_admin", *ACCOUNT_OFFICER_PERMISSIONS),
    Role.DISCLOSURE_OFFICER: ("wagtailadmin.access_admin", *DISCLOSURE_PERMISSIONS),
    Role.DISCLOSURE_OFFICE_HEAD: ("wagtailadmin.access_admin", *DISCLOSURE_PERMISSIONS),
    Role.LETTER_HANDLER: ("wagtailadmin.access_admin", *LETTER_HANDLER_PERMISSIONS),
    Role.LETTER_REVIEWER: ("wagtailadmin.access_admin", *LETTER_REVIEWER_PERMISSIONS),
    Role.LETTER_DISPATCHER: ("wagtailadmin.access_admin", *LETTER_DISPATCHER_PERMISSIONS),
    Role.LETTER_SUPERVISOR: ("wagtailadmin.access_admin", *LETTER_SUPERVISOR_PERMISSIONS),
    Role.SERVICE_ITEM_MANAGER: ("wagtailadmin.access_admin", *SERVICE_ITEM_MANAGER_PERMISSIONS),
    Role.SERVICE_HANDLER: ("wagtailadmin.access_admin", *SERVICE_HANDLER_PERMISSIONS),
    Role.SERVICE_SUPERVISOR: ("wagtailadmin.access_admin", *SERVICE_SUPERVISOR_PERMISSIONS),
}

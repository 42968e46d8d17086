"""Settings shared by every environment; everything variable comes from the environment."""

import os
import secrets
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("CHUANGKOU_VAR_DIR", BASE_DIR / "var"))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def local_secret_key() -> str:
    """A development secret generated once and kept under var/ (never committed)."""
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,.localhost,testserver")

INSTALLED_APPS = [
    "chuangkou.core",
    "chuangkou.organizations",
    "chuangkou.sitecluster",
    "chuangkou.publishing",
    "chuangkou.disclosure",
    "chuangkou.mailbox",
    "chuangkou.services",
    "chuangkou.notifications",
    "chuangkou.accounts",
    "chuangkou.search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.sites",
    "chuangkou.organizations.users_app.StaffUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "chuangkou.publishing.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chuangkou.core.middleware.ClientAddressMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "chuangkou.urls"
WSGI_APPLICATION = "chuangkou.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite under var/ by default (WAL, IMMEDIATE transactions so concurrent writers
# queue instead of failing); PostgreSQL through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'chuangkou.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "chuangkou"),
        },
        "pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "chuangkou") + "-pages",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Each worker keeps its own copy; the generation clock under VAR_DIR keeps them fresh.
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 20_000, "CULL_FREQUENCY": 4},
        },
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Passwords common in Chinese leaks (pinyin phrases, 520/1314, keyboard walks).
    {"NAME": "chuangkou.accounts.password_validation.CommonChinesePasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PROJECT_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Publishing (发布): where static copies of anonymous pages are written at publication for nginx
# to answer (deploy/nginx); unset means no static publishing (the full-page cache still works).
PUBLISHED_PAGES_ROOT = os.environ.get("PUBLISHED_PAGES_ROOT", "")
# Anonymous full-page cache in the application (ETag/Last-Modified are always sent).
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "1") == "1"
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "600"))
# Citizens sign in on the portal; staff keep the Wagtail admin's own sign-in page.
LOGIN_URL = "accounts:sign_in"

# Wagtail
WAGTAIL_SITE_NAME = "窗口 · 政府网站集约化平台"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
# Wagtail's admin search on Tantivy with the same Chinese segmentation as the public search
# (its own database backend sees a run of Chinese characters as one word).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "chuangkou.search.wagtail_backend"}}

# Search (搜索): this machine's index replica (derived data, rebuilt with
# `manage.py rebuild_search_index`). With SEARCH_APPLY_AFTER_COMMIT a change is applied by a
# background task right after its transaction commits (one machine); scaled out, set it to 0 and
# run `manage.py follow_search_changes` on every application server instead.
SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR", VAR_DIR / "search"))
SEARCH_APPLY_AFTER_COMMIT = os.environ.get("SEARCH_APPLY_AFTER_COMMIT", "1") == "1"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "doc", "odt", "ods", "pdf", "txt", "xlsx", "xls", "zip", "ofd"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Review workflow (先审后发): the last approval publishes; editing a draft under review sends it
# back through review; publishing outside the workflow is refused (publishing.review_hooks).
WAGTAIL_FINISH_WORKFLOW_ACTION = "chuangkou.publishing.workflows.publish_approved_draft"
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_ALLOW_UNICODE_SLUGS = True
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {
            "features": ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link",
                         "document-link", "image", "hr", "blockquote"],
        },
    }
}

# API
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "EXCEPTION_HANDLER": "chuangkou.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "600/minute", "user": "1200/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Chuangkou API",
    "DESCRIPTION": "窗口政府网站集约化平台的公开接口 (version 1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["chuangkou.api.schema.only_public_api"],
}

# Security defaults that hold in every environment.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True

# Audit records (审计记录) are kept at least this many days: 网络安全法 第二十一条 requires six
# months; a system check refuses less, and purge_audit_events never deletes younger records.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "180"))

# 政府信息公开: the 补正 period given to applicants (条例 第三十条 says only 合理期限; local
# practice is 15 working days) and how many working days before a reply deadline the handler
# is reminded.
DISCLOSURE_CORRECTION_PERIOD_WORKING_DAYS = int(
    os.environ.get("DISCLOSURE_CORRECTION_PERIOD_WORKING_DAYS", "15"))
DISCLOSURE_REMINDER_WORKING_DAYS = int(os.environ.get("DISCLOSURE_REMINDER_WORKING_DAYS", "3"))

# 政民互动 (government mailbox). Reply time limits are data (LetterKind, ReplyTimeLimit); these
# are the operational limits around them.
MAILBOX_REMINDER_WORKING_DAYS = int(os.environ.get("MAILBOX_REMINDER_WORKING_DAYS", "2"))
MAILBOX_CONTENT_MAX_CHARS = int(os.environ.get("MAILBOX_CONTENT_MAX_CHARS", "5000"))
MAILBOX_ATTACHMENT_MAX_BYTES = int(os.environ.get("MAILBOX_ATTACHMENT_MAX_BYTES",
                                                  str(10 * 1024 * 1024)))
MAILBOX_LETTERS_PER_HOUR_PER_ADDRESS = int(
    os.environ.get("MAILBOX_LETTERS_PER_HOUR_PER_ADDRESS", "10"))
MAILBOX_LETTERS_PER_HOUR_PER_ACCOUNT = int(
    os.environ.get("MAILBOX_LETTERS_PER_HOUR_PER_ACCOUNT", "5"))
MAILBOX_LOOKUPS_PER_HOUR_PER_ADDRESS = int(
    os.environ.get("MAILBOX_LOOKUPS_PER_HOUR_PER_ADDRESS", "30"))
# The spoken-language question of the write form (an alternative to image CAPTCHAs that screen
# readers and elderly writers can answer; 工信部 适老化 rules).
MAILBOX_TEXT_QUESTION = os.environ.get("MAILBOX_TEXT_QUESTION", "1") == "1"

# 网上办事 (online services). Time limits with legal weight are data in services/rules.py;
# these are the operational settings around them.
# 好差评: 不满意 and 非常不满意 are followed up and rectified within this many working days
# (国办发〔2019〕51号 practice: 15).
SERVICES_RECTIFICATION_WORKING_DAYS = int(
    os.environ.get("SERVICES_RECTIFICATION_WORKING_DAYS", "15"))
SERVICES_UPLOAD_MAX_BYTES = int(os.environ.get("SERVICES_UPLOAD_MAX_BYTES",
                                               str(10 * 1024 * 1024)))
SERVICES_APPLICATIONS_PER_HOUR_PER_ADDRESS = int(
    os.environ.get("SERVICES_APPLICATIONS_PER_HOUR_PER_ADDRESS", "10"))
SERVICES_BOOKINGS_PER_HOUR_PER_ADDRESS = int(
    os.environ.get("SERVICES_BOOKINGS_PER_HOUR_PER_ADDRESS", "10"))
SERVICES_LOOKUPS_PER_HOUR_PER_ADDRESS = int(
    os.environ.get("SERVICES_LOOKUPS_PER_HOUR_PER_ADDRESS", "30"))
SERVICES_RATINGS_PER_HOUR_PER_ADDRESS = int(
    os.environ.get("SERVICES_RATINGS_PER_HOUR_PER_ADDRESS", "20"))
# Payment providers by key (services/payments.py); the built-in one records offline payments
# that staff confirm. An online provider is added here, never faked.
SERVICES_PAYMENT_PROVIDERS = {"offline": "chuangkou.services.payments.OfflinePaymentProvider"}
SERVICES_DEFAULT_PAYMENT_PROVIDER = "offline"
# Webhooks to department back-office systems: attempts before giving up, and the timeout.
SERVICES_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("SERVICES_WEBHOOK_MAX_ATTEMPTS", "8"))
SERVICES_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("SERVICES_WEBHOOK_TIMEOUT_SECONDS", "5"))
# Plain-http webhook URLs are for development; production accepts https only.
SERVICES_WEBHOOK_ALLOW_HTTP = os.environ.get("SERVICES_WEBHOOK_ALLOW_HTTP", "1") == "1"
# Requests per minute one back-office system's API key may make.
SERVICES_API_REQUESTS_PER_MINUTE = int(os.environ.get("SERVICES_API_REQUESTS_PER_MINUTE", "120"))
# The absolute base of API links inside webhooks (defaults to WAGTAILADMIN_BASE_URL).
SERVICES_API_BASE_URL = os.environ.get("SERVICES_API_BASE_URL", "")

# Background work (django-tasks). "default" stays immediate: Wagtail's own index and reference
# updates keep running in the request as before. "background" holds our tasks (notifications,
# reminders, digests): rows in the database that the db_worker process runs; set
# TASKS_BACKGROUND_BACKEND to a broker backend (django_tasks_rq) when scaled out.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {
        "BACKEND": os.environ.get("TASKS_BACKGROUND_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["notifications", "periodic", "search"],
    },
}

# Personal data at rest (个人信息加密存储, core.crypto): SM4 keys "<id>:<32 hex>,…" (the first
# encrypts, all decrypt) and the HMAC-SM3 key of blind indexes. Development generates both under
# var/; production refuses to start without them.
PERSONAL_DATA_KEYS = os.environ.get("PERSONAL_DATA_KEYS", "")
PERSONAL_DATA_INDEX_KEY = os.environ.get("PERSONAL_DATA_INDEX_KEY", "")
PERSONAL_DATA_KEYS_REQUIRED = False

# Citizen accounts (用户). Lock-out after repeated failed sign-ins (等保 2.0 登录失败处理).
ACCOUNTS_LOCKOUT_FAILURES = int(os.environ.get("ACCOUNTS_LOCKOUT_FAILURES", "5"))
ACCOUNTS_LOCKOUT_WINDOW_MINUTES = int(os.environ.get("ACCOUNTS_LOCKOUT_WINDOW_MINUTES", "15"))
ACCOUNTS_LOCKOUT_MINUTES = int(os.environ.get("ACCOUNTS_LOCKOUT_MINUTES", "15"))
# One-time codes: lifetime, wrong tries allowed, and how many may be sent per contact and per
# client address in an hour.
ACCOUNTS_CODE_LIFETIME_MINUTES = int(os.environ.get("ACCOUNTS_CODE_LIFETIME_MINUTES", "10"))
ACCOUNTS_CODE_MAX_ATTEMPTS = int(os.environ.get("ACCOUNTS_CODE_MAX_ATTEMPTS", "5"))
ACCOUNTS_CODES_PER_HOUR_PER_CONTACT = int(
    os.environ.get("ACCOUNTS_CODES_PER_HOUR_PER_CONTACT", "5"))
ACCOUNTS_CODES_PER_HOUR_PER_ADDRESS = int(
    os.environ.get("ACCOUNTS_CODES_PER_HOUR_PER_ADDRESS", "20"))
ACCOUNTS_REGISTRATIONS_PER_HOUR_PER_ADDRESS = int(
    os.environ.get("ACCOUNTS_REGISTRATIONS_PER_HOUR_PER_ADDRESS", "10"))
# Sign-in attempts per client address per hour (on top of the per-identifier lock-out).
ACCOUNTS_SIGN_INS_PER_HOUR_PER_ADDRESS = int(
    os.environ.get("ACCOUNTS_SIGN_INS_PER_HOUR_PER_ADDRESS", "30"))
# Real-name requests a citizen may submit per day; invitations an enterprise may send per day.
ACCOUNTS_REAL_NAME_REQUESTS_PER_DAY = int(os.environ.get("ACCOUNTS_REAL_NAME_REQUESTS_PER_DAY", "5"))
ACCOUNTS_INVITATIONS_PER_DAY = int(os.environ.get("ACCOUNTS_INVITATIONS_PER_DAY", "30"))
# Unverified registrations are removed after this many hours so nobody holds an address they
# cannot prove is theirs.
ACCOUNTS_UNVERIFIED_TTL_HOURS = int(os.environ.get("ACCOUNTS_UNVERIFIED_TTL_HOURS", "24"))
# Government identity provider (统一身份认证) over OpenID Connect; unset issuer = switched off.
# Its real-name claims are trusted only when ACCOUNTS_OIDC_TRUST_REAL_NAME is on.
ACCOUNTS_OIDC_ISSUER = os.environ.get("ACCOUNTS_OIDC_ISSUER", "")
ACCOUNTS_OIDC_CLIENT_ID = os.environ.get("ACCOUNTS_OIDC_CLIENT_ID", "")
ACCOUNTS_OIDC_CLIENT_SECRET = os.environ.get("ACCOUNTS_OIDC_CLIENT_SECRET", "")
ACCOUNTS_OIDC_PROVIDER_NAME = os.environ.get("ACCOUNTS_OIDC_PROVIDER_NAME", "统一身份认证平台")
ACCOUNTS_OIDC_SCOPES = os.environ.get("ACCOUNTS_OIDC_SCOPES", "openid profile email phone")
ACCOUNTS_OIDC_TRUST_REAL_NAME = env_bool("ACCOUNTS_OIDC_TRUST_REAL_NAME", False)
ACCOUNTS_OIDC_NAME_CLAIM = os.environ.get("ACCOUNTS_OIDC_NAME_CLAIM", "name")
ACCOUNTS_OIDC_ID_NUMBER_CLAIM = os.environ.get("ACCOUNTS_OIDC_ID_NUMBER_CLAIM", "id_card_number")
ACCOUNTS_OIDC_TIMEOUT_SECONDS = float(os.environ.get("ACCOUNTS_OIDC_TIMEOUT_SECONDS", "10"))
ACCOUNTS_OIDC_STARTS_PER_HOUR_PER_ADDRESS = int(
    os.environ.get("ACCOUNTS_OIDC_STARTS_PER_HOUR_PER_ADDRESS", "60"))

# Notifications (通知): the SMS provider (notifications/sms.py; the logging one for development),
# and how often and how long a failed send is retried.
NOTIFICATIONS_SMS_PROVIDER = os.environ.get(
    "NOTIFICATIONS_SMS_PROVIDER", "chuangkou.notifications.sms.LoggingSmsProvider")
NOTIFICATIONS_SMS_SIGNATURE = os.environ.get("NOTIFICATIONS_SMS_SIGNATURE", "【窗口】")
NOTIFICATIONS_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATIONS_MAX_ATTEMPTS", "6"))
NOTIFICATIONS_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFICATIONS_RETRY_BASE_SECONDS", "60"))
# A send still "sending" after this long is given up (never retried blindly: it may have gone
# out); a queued delivery whose task was lost is enqueued again after the second interval.
NOTIFICATIONS_SENDING_TIMEOUT_SECONDS = int(
    os.environ.get("NOTIFICATIONS_SENDING_TIMEOUT_SECONDS", "900"))
NOTIFICATIONS_REQUEUE_AFTER_SECONDS = int(
    os.environ.get("NOTIFICATIONS_REQUEUE_AFTER_SECONDS", "3600"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@chuangkou.localhost")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# Identity level the online 依申请公开 form asks for ("" = anyone, no account); accounts'
# IdentityLevel values. 条例 第二十九条 lets applicants apply in writing without an account.
DISCLOSURE_APPLICATION_REQUIRED_IDENTITY = os.environ.get(
    "DISCLOSURE_APPLICATION_REQUIRED_IDENTITY", "")

# Number of proxies in front of the application whose X-Forwarded-For we trust (nginx: 1).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

"""Settings shared by every environment; dev, test and production change a few lines.

Everything an operator may change comes from environment variables (see README.md).
"""

from datetime import timedelta
from pathlib import Path

import xstatic.pkg.jquery_ui
from django.utils.translation import gettext_lazy as _

from core.editor import PROSE_EDITOR_EXTENSIONS
from core.env import (
    ConfigurationError,
    env_bool,
    env_database,
    env_int,
    env_list,
    env_str,
)
from newsroom.routers import replica_databases

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigurationError(
            "DJANGO_SECRET_KEY", "must be set when DJANGO_DEBUG is off."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-development-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS",
    default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [],
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    # What every app shares; it imports none of them.
    "core.apps.CoreConfig",
    # The front cache's headers and purges; it imports only core.
    "frontcache.apps.FrontCacheConfig",
    # The background worker (Django's task framework API) and its jobs table;
    # before the wiring, whose admin takes the jobs table out of the desk.
    "django_tasks",
    "django_tasks_db",
    # Before the admin, so that its admin/base_site.html wins.
    "newsroom.apps.NewsroomConfig",
    # Django's admin, whose front page is the desk's (newsroom/admin_site.py).
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "taggit",
    "reversion",
    "django_prose_editor",
    "articles.apps.ArticlesConfig",
    "images.apps.ImagesConfig",
    "tags.apps.TagsConfig",
    "related.apps.RelatedConfig",
    "search.apps.SearchConfig",
    "reader.apps.ReaderConfig",
    "translations.apps.TranslationsConfig",
    # The desk's notifications: in the desk and by e-mail, from the worker.
    "notifications.apps.NotificationsConfig",
    # The demo newsroom's loader (make run); it changes nothing else.
    "demo.apps.DemoConfig",
    # Archives brought in from Jekyll sites (manage.py import_site).
    "imports.apps.ImportsConfig",
]

MIDDLEWARE = [
    # Counts and times every request when NEWSROOM_METRICS is on; else gone.
    "newsroom.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Text responses gzipped for clients that take it (a story's HTML is a
    # third of its size): above every middleware that reads or writes the
    # body. It weakens an ETag rather than break it, and pads against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    # An ETag from the (uncompressed) body and 304s for requests that have
    # it; GZip above weakens the ETag, which a weak comparison still matches.
    "django.middleware.http.ConditionalGetMiddleware",
    # Readers' pages shareable by the front cache, with their surrogate keys;
    # inside ConditionalGet, which must see the Cache-Control it sets.
    "frontcache.middleware.SharedCacheMiddleware",
    # Content-Security-Policy (readers' or the desk's) and Permissions-Policy
    # on every response, redirects and errors included.
    "newsroom.headers.ContentSecurityPolicyMiddleware",
    "newsroom.headers.PermissionsPolicyMiddleware",
    # Outside the others, so that it sees every 403 however it was made.
    "newsroom.middleware.RefusalLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Readers' GET pages read a replica, unless the person wrote in the last
    # NEWSROOM_PRIMARY_PIN_SECONDS (newsroom/routers.py); without replicas it
    # does nothing. Inside the session's: saving a session pins no one.
    "newsroom.routers.PrimaryPinMiddleware",
    # An imported archive's old addresses, where no route answers (a 404):
    # outside the locale's, which first tries the address with a language.
    "imports.middleware.OldAddressMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Forms validate text as it will be stored: composed (NFC).
    "core.normalise.ComposedInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Needs the user and the messages; readers without a session pass untouched.
    "newsroom.middleware.DeskIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env_database(
        "DATABASE_URL", default_sqlite_path=str(BASE_DIR / "db.sqlite3")
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The test database copies a template; CI points this at a fresh UTF-8
    # database with a UTF-8 LC_CTYPE so tests see the locale production has.
    DATABASES["default"]["TEST"] = {
        "CHARSET": "UTF8",
        "TEMPLATE": env_str("DATABASE_TEST_TEMPLATE") or None,
    }

# Read replicas: streaming replicas of the primary's server, one URL each in
# DATABASE_REPLICA_URLS (comma-separated), become the aliases replica1,
# replica2…; tests point them at the test database. Readers' GET pages read
# one; the desk, previews, every write and a person who wrote in the last
# NEWSROOM_PRIMARY_PIN_SECONDS read the primary (newsroom/routers.py).
# Without replicas everything reads the primary, as before.
DATABASES.update(replica_databases("DATABASE_REPLICA_URLS", DATABASES["default"]))
# The story page's queries are PREPAREd on PostgreSQL once a connection
# (core/prepared.py). Off behind a pooler that does not keep a session's
# prepared statements (PgBouncer in transaction mode).
NEWSROOM_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", default=True)
NEWSROOM_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["newsroom.routers.ReplicaRouter"]
NEWSROOM_PRIMARY_PIN_SECONDS = env_int(
    "NEWSROOM_PRIMARY_PIN_SECONDS", default=10, minimum=1
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Korean is the newsroom's default; every public URL carries a prefix.
LANGUAGE_CODE = "ko"
LANGUAGES = [
    ("ko", _("Korean")),
    ("ja", _("Japanese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Asia/Seoul")
# Date and time formats where Django's read wrong in a language (newsroom/formats).
FORMAT_MODULE_PATH = ["newsroom.formats"]

# The body editor's own features (ruby); BODY_EXTENSIONS lists them all.
DJANGO_PROSE_EDITOR_EXTENSIONS = PROSE_EDITOR_EXTENSIONS

# modeltranslation: readers never get another language's text in place of a
# missing one, so no fallback anywhere; the admin spells out its own fallback.
MODELTRANSLATION_DEFAULT_LANGUAGE = "ko"
MODELTRANSLATION_LANGUAGES = ("ko", "ja", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ()}
MODELTRANSLATION_AUTO_POPULATE = False
# The language tabs need jQuery UI: serve the PyPI-packaged copy, never a CDN.
# (modeltranslation reads these two names without its usual prefix.)
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
JQUERY_URL = "admin/js/vendor/jquery/jquery.min.js"

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/jquery-ui", xstatic.pkg.jquery_ui.BASE_DIR),
]
MEDIA_URL = "media/"
# Uploads, renditions and share cards: on this machine's disk (MEDIA_ROOT), or
# in an S3-compatible bucket when NEWSROOM_S3_BUCKET is set (django-storages),
# served from NEWSROOM_S3_MEDIA_URL (a CDN or the bucket's public address).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env_str("NEWSROOM_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("NEWSROOM_S3_BUCKET"),
            # Another provider's (or a MinIO's) address; AWS's when unset.
            "endpoint_url": env_str("NEWSROOM_S3_ENDPOINT_URL") or None,
            "region_name": env_str("NEWSROOM_S3_REGION") or None,
            # Keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the
            # machine's role: never in settings.
            # Public pictures: plain addresses, no signatures that expire in
            # a cached page.
            "querystring_auth": False,
            "default_acl": None,
            # A new upload never replaces another's file under the same name.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
    MEDIA_URL = env_str("NEWSROOM_S3_MEDIA_URL") or (
        f"{env_str('NEWSROOM_S3_ENDPOINT_URL').rstrip('/')}/"
        f"{env_str('NEWSROOM_S3_BUCKET')}/"
    )
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
# Archives uploaded in the desk to import (imports.ImportRun): never served,
# on a disk the app servers and the task worker share.
STORAGES["imports"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": Path(
            env_str("NEWSROOM_IMPORTS_ROOT") or BASE_DIR / "var" / "imports"
        ),
        "base_url": None,
    },
}

LOGIN_URL = "admin:login"
AUTHENTICATION_BACKENDS = [
    # django-axes: refuses any login, right password or not, while locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sessions end NEWSROOM_SESSION_MAX_AGE seconds after login however active
# (newsroom/signal_handlers.py pins the expiry at login), and after
# NEWSROOM_DESK_IDLE_TIMEOUT seconds without a request (0: never).
SESSION_COOKIE_AGE = env_int(
    "NEWSROOM_SESSION_MAX_AGE", default=14 * 24 * 3600, minimum=60
)
NEWSROOM_DESK_IDLE_TIMEOUT = env_int(
    "NEWSROOM_DESK_IDLE_TIMEOUT", default=8 * 3600, minimum=0
)

# Login throttling (django-axes): NEWSROOM_LOGIN_FAILURE_LIMIT failures in a row
# for one account, or from one address, lock it for NEWSROOM_LOGIN_COOLOFF
# seconds, counted from the last attempt; a successful login clears the count.
AXES_FAILURE_LIMIT = env_int("NEWSROOM_LOGIN_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(
    seconds=env_int("NEWSROOM_LOGIN_COOLOFF", default=15 * 60, minimum=1)
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The reader's address as the read counter sees it (NEWSROOM_TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "reader.views_reads.client_address"
# Which languages a person translates into: articles asks, translations knows.
NEWSROOM_TRANSLATOR_LANGUAGES = "translations.translators.translator_languages"
AXES_LOCKOUT_CALLABLE = "newsroom.views.login_locked_out"
# Its pages are not translated; operators unlock with `manage.py axes_reset_*`.
AXES_ENABLE_ADMIN = False

# Background work (notification e-mails) waits in the database as jobs that
# commit with the change that made them; `manage.py db_worker` runs them
# (`make run` starts one).
# Purges of the front cache have a queue of their own ("purge"), so that a
# worker drawing share cards never holds back a story's unpublishing:
# production runs a worker for each (deploy/stack.py); one worker on every
# queue (`--queue-name '*'`, make run) takes purges first, by priority.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "purge"],
    }
}

# E-mail: printed on the console in development, SMTP otherwise.
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", default=25, minimum=1)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the desk is, for links in e-mails (the worker has no request to ask).
NEWSROOM_DESK_URL = env_str("NEWSROOM_DESK_URL", "http://127.0.0.1:8000")

# One cache shared by every app server (pages, counters): Redis when REDIS_URL
# is set; otherwise each process's own memory, enough for the demo and tests.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
        }
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
}

NEWSROOM_PAGE_SIZE = env_int("NEWSROOM_PAGE_SIZE", default=20)
# Tags: at most this many on a story, and at most this many created by one
# save of a reporter's (0: reporters only pick existing tags; editors create
# any number).
NEWSROOM_MAX_TAGS_PER_STORY = env_int(
    "NEWSROOM_MAX_TAGS_PER_STORY", default=20, minimum=1
)
NEWSROOM_MAX_NEW_TAGS_PER_SAVE = env_int(
    "NEWSROOM_MAX_NEW_TAGS_PER_SAVE", default=5, minimum=0
)
# How long a story's preview link works, in seconds (three days by default).
NEWSROOM_PREVIEW_MAX_AGE = env_int("NEWSROOM_PREVIEW_MAX_AGE", default=3 * 24 * 3600)
# A visitor's further reads of one story within this many seconds count once
# ("most read"); 0 counts every read.
NEWSROOM_READ_DEDUPE_SECONDS = env_int("NEWSROOM_READ_DEDUPE_SECONDS", default=1800)
# At most this many reads from one address (IPv4, or IPv6 /64) count per hour,
# across all stories, so that one client cannot move "most read"; 0 is no limit.
NEWSROOM_READS_PER_ADDRESS_HOUR = env_int("NEWSROOM_READS_PER_ADDRESS_HOUR", default=30)
# The Redis that counts reads (one atomic increment a read; the worker adds
# them to the database every few seconds); REDIS_URL's by default. Empty:
# reads go straight to the database (the demo).
NEWSROOM_READS_REDIS_URL = env_str("NEWSROOM_READS_REDIS_URL") or env_str("REDIS_URL")
NEWSROOM_READS_KEY = "newsroom:reads:pending"
# How many reverse proxies of ours stand before the app (each appends to
# X-Forwarded-For); 0 reads the reader's address from the connection.
NEWSROOM_TRUSTED_PROXIES = env_int("NEWSROOM_TRUSTED_PROXIES", default=0)
# The largest picture the image library takes: its file in bytes (20 MB) and
# its pixels (40 megapixels, about 160 MB once decoded by a worker).
NEWSROOM_IMAGE_MAX_BYTES = env_int("NEWSROOM_IMAGE_MAX_BYTES", default=20 * 1024 * 1024)
NEWSROOM_IMAGE_MAX_PIXELS = env_int("NEWSROOM_IMAGE_MAX_PIXELS", default=40_000_000)
# Machine translation from a story's admin page: "" (off), "offline" (a marked
# copy of the source, for tests and demos) or "deepl" (needs DEEPL_AUTH_KEY and
# `pip install deepl`). Its output waits for a person's review before readers
# see it. translations/checks.py reports a setting that cannot work.
NEWSROOM_MACHINE_TRANSLATOR = env_str("NEWSROOM_MACHINE_TRANSLATOR").lower()
DEEPL_AUTH_KEY = env_str("DEEPL_AUTH_KEY")
# A directory searched first for the share cards' fonts (Noto Sans CJK Bold:
# NotoSansCJK-Bold.ttc or one file per language); Debian's fonts-noto-cjk
# paths are searched after it. articles/checks.py reports fonts it cannot find.
NEWSROOM_CARD_FONT_DIR = env_str("NEWSROOM_CARD_FONT_DIR")
# Content-Security-Policy (the policies are in newsroom/headers.py). Report-only
# mode sends it as Content-Security-Policy-Report-Only: browsers block nothing
# and report what they would have blocked, to NEWSROOM_CSP_REPORT_URI if set.
NEWSROOM_CSP_REPORT_ONLY = env_bool("NEWSROOM_CSP_REPORT_ONLY", default=False)
NEWSROOM_CSP_REPORT_URI = env_str("NEWSROOM_CSP_REPORT_URI")
# Production turns it on: there every page is HTTPS.
NEWSROOM_CSP_UPGRADE_INSECURE_REQUESTS = False

# Prometheus metrics at /metrics (newsroom/metrics.py), for these addresses.
NEWSROOM_METRICS = env_bool("NEWSROOM_METRICS", default=False)
NEWSROOM_METRICS_ALLOW = env_list(
    "NEWSROOM_METRICS_ALLOW", default=["127.0.0.1", "::1"]
)

# The front cache (frontcache/): how long readers' pages may be kept, and
# where purges go. Browsers keep a page BROWSER_SECONDS; the shared cache
# SHARED_SECONDS (it is purged by key whenever the page changes), search
# results SEARCH_SECONDS and "no such page" MISSING_SECONDS; past its
# lifetime it may still serve the old copy while it fetches a new one
# (stale-while-revalidate) or while the app is down (stale-if-error).
_VARNISH_URLS = env_list("NEWSROOM_VARNISH_URLS", default=[])
NEWSROOM_CACHE = {
    "BROWSER_SECONDS": env_int("NEWSROOM_CACHE_BROWSER_SECONDS", default=60, minimum=0),
    "SHARED_SECONDS": env_int("NEWSROOM_CACHE_SHARED_SECONDS", default=3600, minimum=0),
    "SEARCH_SECONDS": env_int("NEWSROOM_CACHE_SEARCH_SECONDS", default=300, minimum=0),
    "MISSING_SECONDS": env_int(
        "NEWSROOM_CACHE_MISSING_SECONDS", default=300, minimum=0
    ),
    "STALE_WHILE_REVALIDATE_SECONDS": 60,
    "STALE_IF_ERROR_SECONDS": 86400,
    # Fastly and our VCL read Surrogate-Key; Cloudflare reads Cache-Tag.
    "KEY_HEADER": env_str("NEWSROOM_CACHE_KEY_HEADER", "Surrogate-Key"),
    # A dotted path to a frontcache.backends class, or "" (no front cache:
    # nothing is purged). NEWSROOM_VARNISH_URLS alone chooses Varnish.
    "PURGE_BACKEND": env_str(
        "NEWSROOM_PURGE_BACKEND",
        "frontcache.backends.VarnishBackend" if _VARNISH_URLS else "",
    ),
    "PURGE_OPTIONS": {"locations": _VARNISH_URLS} if _VARNISH_URLS else {},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # NEWSROOM_LOG_FORMAT=json: one JSON object a line, for log collectors.
    "formatters": {"json": {"()": "core.jsonlog.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **(
                {"formatter": "json"}
                if env_str("NEWSROOM_LOG_FORMAT").lower() == "json"
                else {}
            ),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # newsroom.security logs each failed login and lockout once, with the user,
    # address and path; django-axes would repeat them with those masked.
    "loggers": {"axes": {"level": "ERROR"}},
}

from .applications import (  # noqa: F401
    ApplicantDetails,
    ApplicationAppeal,
    ApplicationEvent,
    ApplicationResponse,
    DeadlineReminder,
    DisclosureApplication,
    ResponseAttachment,
)
from .catalogue import CatalogueCategory, DisclosureRecord  # noqa: F401
from .pages import (  # noqa: F401
    AnnualReportColumnPage,
    DisclosureCataloguePage,
    DisclosurePlatformPage,
)
from .reports import AnnualReportPage  # noqa: F401

from .base import Publishable, PublishableQuerySet, Status
from .demo import DemoLoad
from .enterprises import Enterprise, Relation
from .figures import Figure, FigureStatus, Qualifier, Scope
from .institutions import Institution, InstitutionKind, NotableAlumnus, Ownership
from .news import Article, ArticleSection, Photo
from .parks import Park
from .partnerships import Partnership, PartnershipKind
from .taxonomy import Cluster, Honour

__all__ = [
    "Article",
    "ArticleSection",
    "Cluster",
    "DemoLoad",
    "Enterprise",
    "Figure",
    "FigureStatus",
    "Honour",
    "Institution",
    "InstitutionKind",
    "NotableAlumnus",
    "Ownership",
    "Park",
    "Partnership",
    "PartnershipKind",
    "Photo",
    "Publishable",
    "PublishableQuerySet",
    "Qualifier",
    "Relation",
    "Scope",
    "Status",
]

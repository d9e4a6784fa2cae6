"""Database models (SQLAlchemy 2, typed), one module per part of the domain."""
from .assessments import Answer, Assessment, AssessmentStatus, Recommendation, Review, ReviewDecision, Submission
from .audit import AuditEvent
from .base import utcnow
from .evidence import EvidenceFile
from .people import KIND_LABELS, Role, Unit, UnitKind, User
from .periods import DeadlineExtension, InstrumentVersion, Period
from .reports import IssuedDocument, PemdaSettings, ReportJob
from .surveys import Channel, SurveyResponse, SurveySettings

__all__ = [
    "KIND_LABELS",
    "Answer",
    "Assessment",
    "AssessmentStatus",
    "AuditEvent",
    "Channel",
    "DeadlineExtension",
    "EvidenceFile",
    "InstrumentVersion",
    "IssuedDocument",
    "PemdaSettings",
    "Period",
    "Recommendation",
    "ReportJob",
    "Review",
    "ReviewDecision",
    "Role",
    "Submission",
    "SurveyResponse",
    "SurveySettings",
    "Unit",
    "UnitKind",
    "User",
    "utcnow",
]

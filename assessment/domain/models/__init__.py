"""Database models (SQLAlchemy 2, typed), one module per part of the domain."""
from ..labels import DELIVERY_LABELS, KIND_LABELS
from .assessments import Answer, Assessment, AssessmentStatus, Recommendation, Review, ReviewDecision, Submission
from .audit import AuditEvent
from .base import utcnow
from .evidence import EvidenceFile
from .notices import NoticeKind, OutboxMessage, OutboxStatus
from .people import PANGKAT_GOLONGAN, DeliveryMode, Role, Unit, UnitKind, User, UserSession
from .periods import DeadlineExtension, InstrumentVersion, Period
from .reports import BeritaAcaraNumber, IssuedDocument, PemdaSettings, ReportJob
from .surveys import Channel, SurveyResponse, SurveySettings

__all__ = [
    "DELIVERY_LABELS",
    "KIND_LABELS",
    "PANGKAT_GOLONGAN",
    "Answer",
    "Assessment",
    "AssessmentStatus",
    "AuditEvent",
    "BeritaAcaraNumber",
    "Channel",
    "DeadlineExtension",
    "DeliveryMode",
    "EvidenceFile",
    "InstrumentVersion",
    "IssuedDocument",
    "NoticeKind",
    "OutboxMessage",
    "OutboxStatus",
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
    "UserSession",
    "utcnow",
]

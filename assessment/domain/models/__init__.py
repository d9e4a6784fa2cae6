"""Database models (SQLAlchemy 2, typed), one module per part of the domain."""
from .assessments import (
    Answer,
    Assessment,
    AssessmentStatus,
    FollowUpEntry,
    FollowUpState,
    FollowUpStep,
    Recommendation,
    Review,
    ReviewDecision,
    Submission,
)
from .audit import AuditEvent
from .base import utcnow
from .evaluation import (
    TEAM_ROLE_LABELS,
    WHOLE_UNIT,
    Assignment,
    EvaluationTeam,
    NoteMessage,
    Objection,
    ObjectionAnswer,
    TeamMember,
    TeamRole,
    VerificationWindow,
    WindowResponse,
)
from .evidence import AttachedTo, EvidenceFile
from .notices import NoticeKind, OutboxMessage, OutboxStatus
from .people import PANGKAT_GOLONGAN, DeliveryMode, Role, Unit, UnitKind, User, UserSession
from .periods import DeadlineExtension, InstrumentVersion, Period
from .reports import BeritaAcaraNumber, IssuedDocument, PemdaSettings, ReportJob
from .surveys import Channel, SurveyResponse, SurveySettings
from .visits import FieldVisit, FindingKind, VisitFinding

__all__ = [
    "PANGKAT_GOLONGAN",
    "TEAM_ROLE_LABELS",
    "WHOLE_UNIT",
    "Answer",
    "Assessment",
    "AssessmentStatus",
    "Assignment",
    "AttachedTo",
    "AuditEvent",
    "BeritaAcaraNumber",
    "Channel",
    "DeadlineExtension",
    "DeliveryMode",
    "EvaluationTeam",
    "EvidenceFile",
    "FieldVisit",
    "FindingKind",
    "FollowUpEntry",
    "FollowUpState",
    "FollowUpStep",
    "InstrumentVersion",
    "IssuedDocument",
    "NoteMessage",
    "NoticeKind",
    "Objection",
    "ObjectionAnswer",
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
    "TeamMember",
    "TeamRole",
    "Unit",
    "UnitKind",
    "User",
    "UserSession",
    "VerificationWindow",
    "VisitFinding",
    "WindowResponse",
    "utcnow",
]

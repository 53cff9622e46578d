"""Models of disclosure on application, one module per concept."""

from .application import (
    Application,
    ApplicationFile,
    ClockEventRecord,
    Consultation,
    DeliveryRecord,
    FeeNotice,
    Letter,
    LetterSequence,
    LetterTemplate,
    RemedyCase,
)
from .filing import CaseFiling, FilingRule, FilingSequence
from .items import ApplicationItem
from .paperwork import ConsultationOpinion, Dispatch

__all__ = [
    "CaseFiling",
    "FilingRule",
    "FilingSequence",
    "Application",
    "ApplicationFile",
    "ApplicationItem",
    "ClockEventRecord",
    "Consultation",
    "ConsultationOpinion",
    "Dispatch",
    "DeliveryRecord",
    "FeeNotice",
    "Letter",
    "LetterSequence",
    "LetterTemplate",
    "RemedyCase",
]

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

__all__ = [
    "Application",
    "ApplicationFile",
    "ClockEventRecord",
    "Consultation",
    "DeliveryRecord",
    "FeeNotice",
    "Letter",
    "LetterSequence",
    "LetterTemplate",
    "RemedyCase",
]

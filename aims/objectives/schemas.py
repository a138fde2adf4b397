import datetime
import uuid
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from aims.core.api import InSchema, patch_of
from aims.objectives.models import (
    QUANTUM,
    Direction,
    Frequency,
    Indicator,
    MonitorFrequency,
    ObjectiveStatus,
    PolicyTopic,
    TrackStatus,
)
from aims.objectives.tracking import next_due, progress

DECIMAL_HELP = ("A number with at most four decimal places; send it as a JSON string "
                "(\"0.05\") to keep it exact. Returned as a string.")


class ObjectiveIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    policy_topic: PolicyTopic
    policy_reference: str = Field("", max_length=200)
    metric: str = Field(min_length=1)
    target: Decimal = Field(description=DECIMAL_HELP)
    unit: str = Field(min_length=1, max_length=40)
    direction: Direction = Direction.HIGHER
    baseline: Decimal | None = Field(None, description=DECIMAL_HELP)
    frequency: Frequency = Frequency.QUARTERLY
    owner: uuid.UUID | None = None
    due_date: datetime.date
    ai_systems: list[uuid.UUID] = Field(default_factory=list)
    status: ObjectiveStatus = ObjectiveStatus.ACTIVE


ObjectivePatch = patch_of(ObjectiveIn, "ObjectivePatch")


class ObjectiveOut(Schema):
    id: uuid.UUID
    title: str
    description: str
    policy_topic: str
    policy_reference: str
    metric: str
    target: Decimal
    unit: str
    direction: str
    baseline: Decimal | None
    frequency: str
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    owner_email: str | None = None
    due_date: datetime.date
    ai_systems: list[uuid.UUID]
    status: str
    latest_value: Decimal | None = Field(None, description="The most recent measurement's value.")
    latest_on: datetime.date | None = Field(None, description="The date it describes.")
    track_status: TrackStatus = Field(description="on_track when the latest value meets the "
                                      "target in the objective's direction (equal counts as "
                                      "met), off_track when not, no_data before any measurement.")
    measurement_overdue: bool = Field(description="True when an active objective's latest "
                                      "measurement is older than its frequency allows.")
    next_measurement_due: datetime.date | None = None
    progress: int | None = Field(None, description="Percent of the way from the baseline to "
                                 "the target (0–100); null without a baseline or a measurement.")
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_owner_email(obj) -> str | None:
        return obj.owner.email if obj.owner_id else None

    @staticmethod
    def resolve_ai_systems(obj) -> list[uuid.UUID]:
        return [s.pk for s in obj.ai_systems.all()]

    @staticmethod
    def resolve_latest_value(obj) -> Decimal | None:
        # A subquery's decimal is not rounded to the column's places on every database.
        return None if obj.latest_value is None else Decimal(obj.latest_value).quantize(QUANTUM)

    @staticmethod
    def resolve_track_status(obj) -> str:
        return obj.track

    @staticmethod
    def resolve_measurement_overdue(obj) -> bool:
        return obj.overdue

    @staticmethod
    def resolve_next_measurement_due(obj) -> datetime.date | None:
        return next_due(frequency=obj.frequency, latest_on=obj.latest_on)

    @staticmethod
    def resolve_progress(obj) -> int | None:
        return progress(baseline=obj.baseline, target=obj.target, direction=obj.direction,
                        latest=obj.latest_value)


class MeasurementIn(InSchema):
    measured_on: datetime.date
    value: Decimal = Field(description=DECIMAL_HELP)
    note: str = ""


class MeasurementOut(Schema):
    id: uuid.UUID
    objective: uuid.UUID = Field(alias="objective_id")
    measured_on: datetime.date
    value: Decimal
    note: str
    recorded_by: uuid.UUID | None = Field(None, alias="recorded_by_id")
    recorded_by_email: str | None = None
    meets_target: bool
    version: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_recorded_by_email(obj) -> str | None:
        return obj.recorded_by.email if obj.recorded_by_id else None

    @staticmethod
    def resolve_meets_target(obj) -> bool:
        return obj.objective.meets_target(obj.value)


# ------------------------------------------------------------------ monitoring (9.1)


class MonitorIn(InSchema):
    name: str = Field(min_length=1, max_length=200)
    indicator: Indicator
    ai_system: uuid.UUID | None = None
    method: str = Field(min_length=1)
    frequency: MonitorFrequency = MonitorFrequency.MONTHLY
    unit: str = Field(min_length=1, max_length=40)
    lower_threshold: Decimal | None = Field(None, description=DECIMAL_HELP)
    upper_threshold: Decimal | None = Field(None, description=DECIMAL_HELP)
    owner: uuid.UUID | None = None
    analyst: uuid.UUID | None = None
    active: bool = True


MonitorPatch = patch_of(MonitorIn, "MonitorPatch")


class MonitorOut(Schema):
    id: uuid.UUID
    ref: str
    name: str
    indicator: str
    ai_system: uuid.UUID | None = Field(None, alias="ai_system_id")
    ai_system_name: str | None = None
    method: str
    frequency: str
    unit: str
    lower_threshold: Decimal | None
    upper_threshold: Decimal | None
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    analyst: uuid.UUID | None = Field(None, alias="analyst_id")
    active: bool
    latest_value: Decimal | None = None
    latest_on: datetime.date | None = None
    latest_breached: bool | None = Field(None, description="Whether the latest result was "
                                         "outside the thresholds when recorded.")
    result_overdue: bool = Field(description="True when an active monitor's latest result is "
                                 "older than its frequency allows (plus a quarter period).")
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_ai_system_name(obj) -> str | None:
        return obj.ai_system.name if obj.ai_system_id else None

    @staticmethod
    def resolve_latest_value(obj) -> Decimal | None:
        return None if obj.latest_value is None else Decimal(obj.latest_value).quantize(QUANTUM)

    @staticmethod
    def resolve_result_overdue(obj) -> bool:
        return obj.overdue


class MonitorResultIn(InSchema):
    measured_on: datetime.date
    value: Decimal = Field(description=DECIMAL_HELP)
    note: str = ""
    analysis: str = ""


class MonitorResultOut(Schema):
    id: uuid.UUID
    monitor: uuid.UUID = Field(alias="monitor_id")
    measured_on: datetime.date
    value: Decimal
    note: str
    analysis: str
    breached: bool
    thresholds: str
    recorded_by: uuid.UUID | None = Field(None, alias="recorded_by_id")
    version: int
    created_at: datetime.datetime

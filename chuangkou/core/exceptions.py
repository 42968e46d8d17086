from django.core.exceptions import ValidationError


class AuditRecordImmutable(Exception):
    """Audit records are append-only (等保 2.0: audit records protected from change)."""


class RuleViolation(Exception):
    """A business rule refused a change; ``errors`` maps field names to messages.

    Forms and serializers turn it into per-field errors (400, never 500).
    """

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = {field: [str(message) for message in messages] for field, messages in errors.items()}
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in self.errors.items()))

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> "RuleViolation":
        if hasattr(error, "error_dict"):
            return cls({field: [m for e in errors for m in e.messages] for field, errors in error.error_dict.items()})
        return cls({"__all__": list(error.messages)})


def full_clean_or_raise(instance, exception_class: type[RuleViolation] = RuleViolation, **kwargs) -> None:
    """Run model validation and raise ``exception_class`` with per-field messages."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise exception_class.from_validation_error(error) from error


class WorkingDayOverrideInvalid(RuleViolation):
    """A working-day override (工作日调整) was refused."""

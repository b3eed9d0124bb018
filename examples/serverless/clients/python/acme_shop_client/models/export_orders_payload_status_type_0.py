from enum import StrEnum


class ExportOrdersPayloadStatusType0(StrEnum):
    CANCELLED = "cancelled"
    PAID = "paid"
    PENDING = "pending"
    SHIPPED = "shipped"

    def __str__(self) -> str:
        return str(self.value)

"""Sentences for the refusals of production and delivery (seed rules 6–8)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.core.contracts import AlreadyRecorded, ContractNotInForce, NoProductionNotice
from bot.core.deliveries import (
    DeliveryStatus,
    DeliveryStatusOrder,
    GoodsNotReady,
    OverDelivery,
    SignedCopyMissing,
)
from bot.core.errors import DomainError
from bot.core.usecases.delivery import AllFiled
from bot.rendering import units

DELIVERY_ERRORS = (
    AlreadyRecorded,
    ContractNotInForce,
    NoProductionNotice,
    GoodsNotReady,
    OverDelivery,
    SignedCopyMissing,
    DeliveryStatusOrder,
    AllFiled,
)


def over_delivery(error: OverDelivery) -> str:
    return _(
        "Too much of “%(product)s”: %(ordered)s ordered, %(delivered)s on notes so far, "
        "%(asked)s asked. At most %(left)s more can go on a note."
    ) % {
        "product": error.product,
        "ordered": units(error.ordered),
        "delivered": units(error.delivered) if error.delivered else "0",
        "asked": units(error.asked),
        "left": units(error.ordered - error.delivered) if error.ordered > error.delivered else "0",
    }


def _status_order(error: DeliveryStatusOrder) -> str:
    if error.over or error.needs is None:
        return _("This delivery note has moved on meanwhile; nothing was changed.")
    sentences: dict[object, str] = {
        DeliveryStatus.signed: _("First the sales manager signs the delivery note."),
        DeliveryStatus.shipped: _("First the goods go out against the note."),
        DeliveryStatus.copy_received: _("First the customer's signed copy comes back."),
    }
    return sentences.get(error.needs, _("That step does not come next for this delivery note."))


def delivery_sentence(error: DomainError) -> str:
    if isinstance(error, OverDelivery):
        return over_delivery(error)
    if isinstance(error, DeliveryStatusOrder):
        return _status_order(error)
    if isinstance(error, SignedCopyMissing):
        return _(
            "Delivery note No. %(seq)s cannot be booked yet: finance books a delivery only "
            "against the customer's signed copy."
        ) % {"seq": error.seq}
    if isinstance(error, AlreadyRecorded):
        if error.what == "production_notice":
            return _("The production notice is already signed.")
        return _("The goods are already recorded as ready.")
    return {
        "contract_not_in_force": _("This contract is not in force (co-signed and open)."),
        "no_production_notice": _(
            "The goods are made against a signed production notice; it is not signed yet."
        ),
        "goods_not_ready": _("A delivery note is filed once the goods are ready."),
        "all_filed": _("Everything ordered is already on delivery notes."),
    }.get(error.code, _("That did not work. Nothing was changed."))

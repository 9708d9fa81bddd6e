"""Access gates for support programs: missing and forbidden both answer NotFound (404)."""

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from nikyoten.core.exceptions import NotFound
from nikyoten.support.models import SupportProgram


class ProgramAction(StrEnum):
    VIEW = "view"
    EDIT = "edit"  # add versions, change budget status


def access_program(actor: Any, program_id: int | str, *, action: ProgramAction) -> SupportProgram:
    programs = (
        SupportProgram.objects.visible_to(actor)
        if action == ProgramAction.VIEW
        else SupportProgram.objects.editable_by(actor)
    )
    try:
        return programs.select_related("prefecture", "municipality", "organization").get(pk=int(program_id))
    except (SupportProgram.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("支援制度が見つかりません。")) from exc

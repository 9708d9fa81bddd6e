"""Abstract base models shared by every domain app (core holds no concrete domain models)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """A row that records when it was created and last changed."""

    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        abstract = True


class SampleFlagModel(models.Model):
    """A row that may be demo content; sample rows are labelled サンプル wherever they are shown."""

    is_sample = models.BooleanField(_("サンプル"), default=False, db_index=True)

    class Meta:
        abstract = True

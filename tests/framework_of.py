"""A form's 评分表 where a test needs one (a form without one is the test's mistake)."""

from __future__ import annotations

from zjeval.form.framework import Framework
from zjeval.form.models import Form


def framework_of(form: Form) -> Framework:
    framework = form.scoring
    assert framework is not None, f"{form.id} has no 评分表"
    return framework

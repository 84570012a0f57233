"""Exercises of notebook 00 (start here)."""

from __future__ import annotations

from course_utils.exercises import register


@register("00.warmup", solution=lambda: 4, praise="2 + 2 is 4: the checker works.")
def _warmup(answer):
    if answer != 4:
        return "Type the number 2 + 2 evaluates to, e.g. check(\"00.warmup\", 2 + 2)."
    return None

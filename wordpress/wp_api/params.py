"""
Query parameters and errors, as WordPress's REST server reads and reports them.

Each endpoint declares its arguments once (`Arg`): the same declaration reads
the request and describes the route in the `/wp-json/` index. Lists are read
in both of WordPress's forms (`?tags=1,2` and `?tags[]=1&tags[]=2`); a bad value
answers 400 `rest_invalid_param` naming each parameter and why, in WordPress's
error shape: `{"code": ..., "message": ..., "data": {"status": ..., "params": {...}}}`.
Parameters an endpoint does not declare are ignored, as WordPress does.
"""

import re
from dataclasses import dataclass

from django.http import JsonResponse
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from django.utils.translation import gettext as _

MAX_PER_PAGE = 100
LIST_SPLIT_RE = re.compile(r"[\s,]+")
INTEGER_RE = re.compile(r"\d{1,18}")


class WpError(Exception):
    def __init__(self, code, message, status, **data):
        super().__init__(message)
        self.code, self.message, self.status, self.data = code, message, status, data

    def response(self):
        body = {"code": self.code, "message": self.message, "data": {"status": self.status, **self.data}}
        return JsonResponse(body, status=self.status)


def no_route():
    return WpError("rest_no_route", _("No route was found matching the URL and request method."), 404)


@dataclass(frozen=True)
class Arg:
    """One query parameter: its JSON-schema type (`array` holds `items`), default and bounds."""

    type: str
    description: str
    default: object = None
    items: str = ""
    enum: tuple = ()
    minimum: int | None = None
    maximum: int | None = None
    format: str = ""

    def describe(self):
        """The argument as WordPress's index shows it."""
        data = {"description": self.description, "type": self.type}
        if self.format:
            data["format"] = self.format
        if self.default is not None:
            data["default"] = list(self.default) if isinstance(self.default, tuple) else self.default
        if self.enum:
            data["enum"] = list(self.enum)
        if self.minimum is not None:
            data["minimum"] = self.minimum
        if self.maximum is not None:
            data["maximum"] = self.maximum
        if self.items:
            data["items"] = {"type": self.items}
        data["required"] = False
        return data


def read(query, args):
    """The values of `args` in `query` (a QueryDict), defaults filled; raises WpError on bad input."""
    values, invalid = {}, {}
    for name, arg in args.items():
        raw = query.getlist(name) + query.getlist(f"{name}[]")
        if not raw:
            values[name] = list(arg.default) if isinstance(arg.default, tuple) else arg.default
            continue
        try:
            values[name] = _value(name, arg, raw)
        except ValueError as error:
            invalid[name] = str(error)
    if invalid:
        raise WpError(
            "rest_invalid_param",
            _("Invalid parameter(s): %(names)s") % {"names": ", ".join(invalid)},
            400,
            params=invalid,
        )
    return values


def _value(name, arg, raw):
    if arg.type == "array":
        items = [item for value in raw for item in LIST_SPLIT_RE.split(value) if item]
        return [_scalar(f"{name}[{index}]", arg.items, arg, item) for index, item in enumerate(items)]
    return _scalar(name, arg.type, arg, raw[-1])


def _scalar(name, kind, arg, value):
    if kind == "integer":
        value = value.strip()
        if not INTEGER_RE.fullmatch(value.lstrip("-")):
            raise ValueError(_("%(name)s is not of type integer.") % {"name": name})
        number = int(value)
        low, high = arg.minimum, arg.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            if high is None:
                message = _("%(name)s must be greater than or equal to %(minimum)s")
            else:
                message = _("%(name)s must be between %(minimum)s (inclusive) and %(maximum)s (inclusive)")
            raise ValueError(message % {"name": name, "minimum": low, "maximum": high})
        return number
    if kind == "boolean":
        lowered = value.strip().lower()
        if lowered in ("1", "true", "yes"):
            return True
        if lowered in ("0", "false", "no", ""):
            return False
        raise ValueError(_("%(name)s is not of type boolean.") % {"name": name})
    if arg.format == "date-time":
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValueError(_("Invalid date."))
        return make_aware(parsed) if is_naive(parsed) else parsed
    if arg.enum and value not in arg.enum:
        raise ValueError(
            _("%(name)s is not one of %(choices)s.") % {"name": name, "choices": ", ".join(arg.enum)}
        )
    return value

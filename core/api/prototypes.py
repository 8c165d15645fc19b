"""
Serializer fields built once per class: DRF's ModelSerializer builds every field again for
each instance (reading the model's options, its unique constraints, extra_kwargs), which on
a post detail cost more than turning the post into JSON. A read serializer whose fields
depend on nothing but its class builds them once and each instance gets a copy (deep: the
copies are bound to their own serializer, and `?fields=` / `?expand=` change the copy).
"""

import copy


class PrototypeFieldsMixin:
    """Before serializers.ModelSerializer in the bases; for serializers whose get_fields() ignores context."""

    def get_fields(self):
        cls = type(self)
        prototype = cls.__dict__.get("_prototype_fields")
        if prototype is None:
            prototype = super().get_fields()
            cls._prototype_fields = prototype
        return copy.deepcopy(prototype)

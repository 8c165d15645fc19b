"""The check every update service makes first: is the caller's copy still the stored one?"""

from ..versions import StaleVersion, version_of


def version_check(obj, expected):
    """
    Raise StaleVersion unless `obj`'s stored row is at version `expected` (None: no
    check, for writers that do not know it, e.g. the importer). Locks the row, so
    two saves made from one version cannot both pass: call it inside the transaction.
    """
    if expected is None:
        return
    stored = type(obj).objects.select_for_update().filter(pk=obj.pk).only("updated_at").first()
    if stored is None or version_of(stored) != str(expected):
        raise StaleVersion(stored or obj, expected)

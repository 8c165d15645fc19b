"""Old addresses: 301s from WordPress permalinks and /?p=ID to the imported content."""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _

from ..wxr import REDIRECTS_META
from .base import ImportBase


class RedirectsImport(ImportBase):
    def old_paths(self, item):
        """The item's old permalink (path and query only) and its /?p=ID form."""
        paths = []
        if item.link:
            parts = urlsplit(item.link)
            # The form request.get_full_path() gives, which is what redirects are matched against.
            path = escape_uri_path(unquote(parts.path or "/"))
            paths.append(f"{path}?{parts.query}" if parts.query else path)
        paths.append(f"/?p={item.wordpress_id}")
        # A Plume export lists the old addresses that led to the item.
        paths.extend(line.strip() for line in item.meta.get(REDIRECTS_META, "").splitlines() if line.strip())
        if item.post_type == "page":
            paths.append(f"/?page_id={item.wordpress_id}")
        return paths

    def import_redirects(self):
        site_id = settings.SITE_ID
        max_length = Redirect._meta.get_field("old_path").max_length
        # All of the site's: an IN list of every old path would outgrow SQLite's limit on a large blog.
        existing = {r.old_path: r for r in Redirect.objects.filter(site_id=site_id)}
        new, changed = [], []
        current_paths = set(self.redirects.values())
        for old_path, new_path in self.redirects.items():
            if old_path in current_paths:
                continue  # an imported item lives there now (or it did not move)
            if len(old_path) > max_length or len(new_path) > max_length:
                self.report.warn(
                    _("The old address %(old)s is too long to be redirected to %(new)s.")
                    % {"old": old_path, "new": new_path}
                )
                self.skip("redirects")
                continue
            redirect = existing.get(old_path)
            if redirect is None:
                new.append(Redirect(site_id=site_id, old_path=old_path, new_path=new_path))
                self.record("redirects", old_path, "created")
            elif redirect.new_path != new_path:
                redirect.new_path = new_path
                changed.append(redirect)
                self.record("redirects", old_path, "updated")
            else:
                self.record("redirects", old_path, "skipped")
        Redirect.objects.bulk_create(new, batch_size=1000)
        Redirect.objects.bulk_update(changed, ["new_path"], batch_size=1000)

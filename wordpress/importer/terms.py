"""Categories (with their hierarchy) and tags."""

from django.utils.text import slugify
from django.utils.translation import gettext as _

from blog.models import Category, Tag
from core.markdown import plain_text
from core.slugs import unique_slug

from .base import ImportBase


class TermsImport(ImportBase):
    def import_terms(self):
        self.terms = {"category": {}, "post_tag": {}}  # slug as written in the file -> Category or Tag
        self.terms_by_id, self.terms_by_slug = {}, {}
        for taxonomy, model in (("category", Category), ("post_tag", Tag)):
            existing = list(model.objects.all())
            self.terms_by_id[taxonomy] = {obj.wordpress_id: obj for obj in existing if obj.wordpress_id}
            self.terms_by_slug[taxonomy] = {obj.slug: obj for obj in existing}
        for term in self.file_terms:
            self.term_for(term)
        for term in self.file_terms:
            if term.taxonomy == "category" and term.parent_slug and term.slug in self.terms["category"]:
                self.set_parent(term, self.terms["category"][term.slug])

    def term_for(self, term, *, declared=True):
        """
        The Category or Tag a WXR term stands for, created or updated; None when it has neither name nor slug.

        Terms are declared at the top of the file; items may name more (`declared=False`), which
        are created when missing but not updated from what an item says of them.
        """
        taxonomy = term.taxonomy
        key = term.slug or term.name
        if key in self.terms[taxonomy]:
            return self.terms[taxonomy][key]
        is_category = taxonomy == "category"
        kind, model = ("categories", Category) if is_category else ("tags", Tag)
        by_id, by_slug = self.terms_by_id[taxonomy], self.terms_by_slug[taxonomy]
        name = plain_text(self.repaired(kind, term.name))
        slug = (self.clean_slug(term.slug) or slugify(name) or slugify(name, allow_unicode=True))[:100]
        if not slug:
            if is_category:
                self.report.warn(_("A category with neither name nor slug was left out."))
            else:
                self.report.warn(_("A tag with neither name nor slug was left out."))
            self.skip(kind)
            return None
        label = (
            _("the name of the category “%(name)s”") if is_category else _("the name of the tag “%(name)s”")
        )
        values = {"name": self.fit(name or slug, 100, label % {"name": name or slug})}
        if is_category and declared:
            values["description"] = self.repaired(kind, term.description)
        obj = by_id.get(term.wordpress_id) if term.wordpress_id else None
        if obj is None and slug in by_slug:
            same_slug = by_slug[slug]
            # One with that slug already: the same term, unless another WordPress site's import made it.
            if not (
                same_slug.wordpress_id and term.wordpress_id and same_slug.wordpress_id != term.wordpress_id
            ):
                obj = same_slug
        if term.wordpress_id:
            values["wordpress_id"] = term.wordpress_id
        if obj is None:
            if slug in by_slug:
                slug = unique_slug(model, slug)
            obj = model(slug=slug, **values)
            self.save(obj, label=values["name"])
            self.record(kind, obj.pk, "created")
        elif declared and self.assign(obj, values):
            self.save(obj, label=values["name"])
            self.record(kind, obj.pk, "updated")
        else:
            self.record(kind, obj.pk, "skipped")
        by_slug[obj.slug] = obj
        if obj.wordpress_id:
            by_id[obj.wordpress_id] = obj
        self.terms[taxonomy][key] = obj
        return obj

    def declare_term(self, term):
        """
        A term declared after items: created, or completed (description, WordPress id) when
        an item already named it; its parent is set at the end, once every term is known.
        """
        self.terms[term.taxonomy].pop(term.slug or term.name, None)  # what an item said of it is less
        self.term_for(term)
        self.late_terms.append(term)

    def set_late_parents(self):
        for term in self.file_terms if self.late_terms else ():
            if term.taxonomy == "category" and term.parent_slug and term.slug in self.terms["category"]:
                self.set_parent(term, self.terms["category"][term.slug])

    def set_parent(self, term, category):
        parent = self.terms["category"].get(term.parent_slug)
        if parent is None:
            self.report.warn(
                _("The parent “%(parent)s” of the category “%(name)s” is not in the file.")
                % {"parent": term.parent_slug, "name": category.name}
            )
            return
        ancestor = parent
        while ancestor is not None:
            if ancestor == category:
                self.report.warn(
                    _("The category “%(name)s” would be its own ancestor: its parent was left out.")
                    % {"name": category.name}
                )
                return
            ancestor = ancestor.parent
        if category.parent_id != parent.pk:
            category.parent = parent
            category.save(update_fields=["parent"])
            self.record("categories", category.pk, "updated")

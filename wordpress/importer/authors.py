"""Authors: WordPress users become accounts with author profiles."""

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from authors.models import Author
from core.slugs import unique_slug

from ..wxr import WxrAuthor
from .base import FALLBACK_AUTHOR_LOGIN, ImportBase


class AuthorsImport(ImportBase):
    def import_authors(self):
        self.authors = {}  # login as written in the file -> Author
        self.users_by_wordpress_id = {}
        self.warned_logins = set()
        logins = {self.username_for(author.login, warn=False) for author in self.file_authors}
        self.users = {user.username: user for user in get_user_model().objects.filter(username__in=logins)}
        profiles = Author.objects.filter(user__username__in=logins).select_related("user")
        self.profiles = {author.user.username: author for author in profiles}
        self.author_ids_taken = set(
            Author.objects.filter(wordpress_id__isnull=False).values_list("wordpress_id", flat=True)
        )
        for wxr_author in self.file_authors:
            if wxr_author.login in self.authors:
                continue
            author = self.author_for(wxr_author)
            self.authors[wxr_author.login] = author
            if wxr_author.wordpress_id:
                self.users_by_wordpress_id[wxr_author.wordpress_id] = author.user_id

    def declare_author(self, wxr_author):
        """An author declared after items: created, or completed if an item already named them."""
        self.load_account(self.username_for(wxr_author.login, warn=False))
        author = self.author_for(wxr_author)
        self.authors[wxr_author.login] = author
        if wxr_author.wordpress_id:
            self.users_by_wordpress_id[wxr_author.wordpress_id] = author.user_id

    def username_for(self, login, *, warn=True):
        """The login itself when Django accepts it as a username, else a normalized form of it."""
        username = login[:150]
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            username = (slugify(login, allow_unicode=True) or "author")[:150]
            if warn:
                self.report.warn(
                    _("The login “%(login)s” is not a valid username: imported as “%(username)s”.")
                    % {"login": login, "username": username}
                )
        return username

    def author_for(self, wxr_author):
        """The Author for a WordPress user, created when missing; an existing account is never overwritten."""
        username = self.username_for(wxr_author.login, warn=wxr_author.login not in self.warned_logins)
        self.warned_logins.add(wxr_author.login)
        label = _("a name of the author “%(login)s”") % {"login": wxr_author.login}
        display_name = self.repaired("authors", wxr_author.display_name)
        first_name = self.fit(self.repaired("authors", wxr_author.first_name), 150, label)
        last_name = self.fit(self.repaired("authors", wxr_author.last_name), 150, label)
        display_name = self.fit(display_name or f"{first_name} {last_name}".strip() or username, 150, label)
        email = self.valid_email(wxr_author.email, _("author “%(login)s”") % {"login": wxr_author.login})

        outcome = "skipped"
        user = self.users.get(username)
        if user is None:
            user = get_user_model()(
                username=username, email=email, first_name=first_name, last_name=last_name
            )
            # Imported people log in once an administrator gives them a password and a role.
            user.set_unusable_password()
            self.clean(user, exclude=["password"], label=username)
            user.save()
            self.users[username] = user
            outcome = "created"
        else:
            # Only blanks are filled: an existing account's e-mail is how it resets its password.
            filled = []
            for name, value in (("email", email), ("first_name", first_name), ("last_name", last_name)):
                if value and not getattr(user, name):
                    setattr(user, name, value)
                    filled.append(name)
            if filled:
                user.save(update_fields=filled)
                outcome = "updated"

        author = self.profiles.get(username)
        if author is None:
            author = Author(user=user, display_name=display_name, slug=unique_slug(Author, display_name))
            self.save(author, label=username)
            self.profiles[username] = author
            outcome = "created"
        elif wxr_author.display_name and author.display_name != display_name:
            author.display_name = display_name
            self.save(author, label=username)
            outcome = "updated" if outcome == "skipped" else outcome
        wordpress_id = wxr_author.wordpress_id
        if wordpress_id and author.wordpress_id is None and wordpress_id not in self.author_ids_taken:
            # The id the WordPress-compatible API answers with (an id another site's import
            # already gave someone stays theirs).
            Author.objects.filter(pk=author.pk).update(wordpress_id=wordpress_id)
            author.wordpress_id = wordpress_id
            self.author_ids_taken.add(wordpress_id)
        self.record("authors", username, outcome)
        return author

    def author_of(self, item, title):
        if item.creator in self.authors:
            return self.authors[item.creator]
        if not item.creator:
            author = self.fallback_author()
            self.report.warn(
                _("“%(title)s” has no author: given to %(author)s.") % {"title": title, "author": author}
            )
            return author
        # A login the file does not declare (WXR 1.0 declares none): an account of that name, or a new one.
        self.load_account(self.username_for(item.creator, warn=False))
        author = self.author_for(WxrAuthor(login=item.creator))
        self.report.warn(
            _("“%(login)s”, the author of “%(title)s”, is not among the file’s authors: given to %(author)s.")
            % {"login": item.creator, "title": title, "author": author}
        )
        self.authors[item.creator] = author
        return author

    def load_account(self, username):
        if username not in self.users:
            user = get_user_model().objects.filter(username=username).first()
            if user is not None:
                self.users[username] = user
                author = Author.objects.filter(user=user).first()
                if author is not None:
                    self.profiles[username] = author

    def fallback_author(self):
        if self.default_author is None:
            self.load_account(FALLBACK_AUTHOR_LOGIN)
            self.default_author = self.author_for(
                WxrAuthor(login=FALLBACK_AUTHOR_LOGIN, display_name="WordPress")
            )
        return self.default_author

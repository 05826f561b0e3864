"""factory_boy factories for test data. Apps add their own factories in this module's style."""

from __future__ import annotations

import factory

from tangerine.accounts.models import User

DEFAULT_PASSWORD = "correct-horse-battery-staple"


def _save_if_created(user: User, create: bool, extracted: object, **kwargs: object) -> None:
    # skip_postgeneration_save leaves saving to us: once, after the password is set.
    if create:
        user.save()


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    handle = factory.Sequence(lambda n: f"user_{n}")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)
    _save = factory.PostGeneration(_save_if_created)

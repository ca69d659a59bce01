"""Factories for test data (factory_boy), going through the same services the app uses."""

from __future__ import annotations

import factory

from participation.auth.services import create_user

PASSWORD = "correct horse battery"


class UserFactory(factory.Factory):
    class Meta:
        model = dict

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = PASSWORD
    stakeholder_group = "residents"
    locale = "de"
    roles = ("participant",)
    confirmed = True

    @classmethod
    def _create(cls, model_class, **kwargs):
        return create_user(**kwargs)

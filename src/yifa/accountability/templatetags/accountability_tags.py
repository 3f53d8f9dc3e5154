"""`{% load accountability_tags %}{% restriction_badge officer_or_user %}`: the restriction
badge for an enforcement Officer, an orgs User or a Person. Shown only to those who may see
the person's accountability record (supervisors, the unit's leaders, the person)."""

from django import template

from yifa.core import clock

register = template.Library()


@register.inclusion_tag("accountability/_restriction_badge.html", takes_context=True)
def restriction_badge(context, subject, on=None):
    from yifa.accountability.models import Person
    from yifa.accountability.services import persons_of, restriction_on

    request = context.get("request")
    user = getattr(request, "user", None)
    try:
        persons = persons_of(subject)
    except TypeError:
        return {"restriction": None}
    if not persons or user is None or not Person.objects.visible_to(user).filter(
            pk__in=[p.pk for p in persons]).exists():
        return {"restriction": None}
    return {"restriction": restriction_on(subject, on or clock.today())}

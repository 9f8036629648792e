"""Scaffolding: ``practicelint init`` (a commented configuration) and ``practicelint fix``
(the files failing rules lack, from Jinja2 templates in ``templates/``).

Both only ever create files: an existing path is reported and left alone.
"""

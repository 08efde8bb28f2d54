"""Synthetic datasets of any size with the shape of the demo province (`dtbd generate`).

The output is valid by construction: ids are unique, every reference resolves, every code is a glossary
code, no post is held by two people on the same day and no credential is dated after `as_of`.

The structure grows with the number of people: one province per ~40,000 people; in each, departments
(sở) with their divisions (phòng) and public service units, districts (dissolved on 2025-07-01 by the
two-level local government reform, history kept) and the communes created that day, the provincial
People's Committee and party bodies. Careers are simulated post by post with an event queue from 2010 to
`as_of`: five-year terms (NĐ 138/2020 Art. 41), People's Council elections for elected posts, retirement
(BLLĐ 2019 Art. 169, NĐ 135/2020), the age caps and full-term rule of each period, the 24-month tenure
and the discipline bar. Credentials, succession plans, ratings and disciplines follow from the careers,
with a little deliberate noise (a leadership certificate obtained after the appointment, an appointment
outside the plan) so that audits find something, as in a real province.

Rows are written as soon as one cluster (a department with its public service units, a district with
its communes, the provincial leadership) is simulated: memory is bounded by the largest cluster, so
millions of people stream to disk.

Modules: common (row types, key dates, weighted draws), retirement, names (people and places), agencies
(the catalogue of departments, divisions and party bodies), layout (units and posts in clusters), careers
(the simulation), records (person, credential and rating rows), plans (succession plans), training
(courses and quotas), writers (CSV/YAML sinks, manifest) and generator (`Generator`, `generate_dataset`).
"""

from __future__ import annotations

from engine.generate.careers import Member, Slot, Tenure
from engine.generate.common import AS_OF, ELECTIONS, PEOPLE_PER_PROVINCE, REFORM, Block, Format, Row, Weighted
from engine.generate.generator import Generator, generate_dataset
from engine.generate.layout import Cluster, SlotSpec, province_layout
from engine.generate.retirement import retirement_age_months, retirement_date
from engine.generate.training import courses, quotas
from engine.generate.writers import CollectSink, FileSink, Sink, TableWriter, columns, write_manifest, yaml_scalar

__all__ = [
    "AS_OF",
    "ELECTIONS",
    "PEOPLE_PER_PROVINCE",
    "REFORM",
    "Block",
    "Cluster",
    "CollectSink",
    "FileSink",
    "Format",
    "Generator",
    "Member",
    "Row",
    "Sink",
    "Slot",
    "SlotSpec",
    "TableWriter",
    "Tenure",
    "Weighted",
    "columns",
    "courses",
    "generate_dataset",
    "province_layout",
    "quotas",
    "retirement_age_months",
    "retirement_date",
    "write_manifest",
    "yaml_scalar",
]

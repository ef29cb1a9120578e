"""The shared-services Impact Totem of the seed fact sheet ("Shared Service Inspiration No. 3").

Tasks are listed as the poster's trunk reads from the bottom up; each carries the wing
impacts printed beside it. The seed's own worked example gives the indicator for the
outcome-scenarios task. Used by a data migration; site staff edit it in the admin afterwards.
"""

NAME = "Shared services Impact Totem"
DESCRIPTION = (
    "The to-do list of a typical shared services project, from the Impact Totem poster, "
    "with the impact each task should produce. Add, change or remove tasks to fit your project."
)

TASKS = [
    ("Confirm the issue to be resolved", ["Gained the commitment to investigate"]),
    (
        "Consider the issues to be solved, the efficiencies required and/or the innovation "
        "now possible",
        ["Articulated common issues and strengths"],
    ),
    ("Collaborate in benchmarking", ["Created an expert network"]),
    (
        "Scope a shared vision",
        ["Defined the starting point for the project against which progress will be measured"],
    ),
    (
        "Agree a starter project",
        ["Trust and friendship among the partners", "A fully engaged development team"],
    ),
    ("Produce a communications plan", ["Secured the buy-in of governors and SMT"]),
    (
        "Draw a line in the sand (ring-fenced), mapping the area/s to be shared and process",
        ["Avoided sovereignty issues"],
    ),
    (
        "Produce outcome scenarios complete with the likelihood of proceeding on each one",
        [
            (
                "The readiness and commitment to proceed",
                "Recognition of the possible outcome scenarios and a clear statement of "
                "whether or not to proceed for each one",
            ),
            "Guaranteed that feasibility work will not be wasted",
        ],
    ),
    (
        "Understand the problems to be solved and the opportunity to be innovative",
        ["The confidence to proceed", "Clear mandate for change"],
    ),
    (
        "Create a 'third' way, adopting best practice and harmonising systems",
        ["Created a vision for a 'third way'"],
    ),
    ("Produce an implementation plan", ["A clear way forward"]),
    (
        "Formalise the shared services vehicle, legal structure and sign service-level "
        "agreements",
        ["Clarity and confidence from all parties in the final outcome"],
    ),
    ("Secure the buy-in of staff", ["Changed the culture and ambition for the service"]),
    ("Improve the service", ["Increased savings and/or income"]),
]


def install(StarterTotem, StarterTask, StarterImpact):
    """Create the starter (idempotent); takes the models so migrations can pass their own."""
    starter, created = StarterTotem.objects.get_or_create(
        name=NAME, defaults={"description": DESCRIPTION, "is_published": True}
    )
    if not created:
        return starter
    for position, (title, impacts) in enumerate(TASKS, start=1):
        task = StarterTask.objects.create(starter=starter, position=position, title=title)
        for impact_position, impact in enumerate(impacts, start=1):
            statement, indicator = impact if isinstance(impact, tuple) else (impact, "")
            StarterImpact.objects.create(
                task=task, position=impact_position, statement=statement, indicator_name=indicator
            )
    return starter

"""Governors' packs, posters and portfolio packs: what goes in them, and making them.

- `record`: what a project pack is made from, each part loaded once, and its fingerprint.
- `sections`: the project pack as a list of sections (the registry); adding a section is a
  loader, a template and one line.
- `poster`: fitting the Impact Totem poster onto a page.
- `kinds`: the content of each kind of PDF (project pack, poster, portfolio).
- `services`: asking for a pack (served from storage when the content is unchanged), making
  it (in the background worker) and recording, in the same save, what it shows (its projects
  and rounds: who may download it is decided from that alone, in `totem.review.access`),
  recording a decision on it.
- `tasks`: the background task.
"""

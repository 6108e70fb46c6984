"""Benchmark input: a synthetic catalogue of N services in two languages, shaped like the demo county's."""
from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "catalog"
AUDIENCES = ["residents", "businesses", "foreigners", "farmers", "older-people", "people-with-disabilities",
             "parents", "students-and-job-seekers"]
EVENTS = ["having-a-child", "starting-school", "looking-for-work", "losing-a-job", "moving-house", "retiring",
          "starting-a-business", "running-a-business"]
OFFICES = ["county-service-centre", "chengguan-police-station", "qingshan-town-service-centre",
           "baishui-village-service-point", "taohua-village-service-point"]
PROVIDERS = ["public-security", "civil-affairs", "human-resources", "agriculture", "market-regulation"]

SERVICE = """\
# yaml-language-server: $schema=../../generator/schemas/service.schema.json
id: {id}
status: active
provider: {provider}
audiences: [{audiences}]
life_events: [{event}]
name:
  zh-Hans: 示例服务第{n}号
  en: Example service number {n}
summary:
  zh-Hans: 这是第{n}号示例服务的一句话简介。
  en: A one-sentence summary of example service number {n}.
description:
  zh-Hans: |-
    这是一段说明，告诉您这项服务是做什么的，谁可以办理。

    第二段说明办理以后会怎样。
  en: |-
    This paragraph tells you what the service is for and who can use it.

    A second paragraph says what happens next.
eligibility:
  zh-Hans: [本县居民, 年满十八周岁]
  en: [You live in the county, You are 18 or over]
documents:
  zh-Hans: [居民身份证, 户口簿, 申请表]
  en: [Your ID card, Your household register, The application form]
steps:
  zh-Hans: [带齐材料到窗口, 填写申请表, 等待审核结果]
  en: [Bring the documents to the counter, Fill in the form, Wait for the decision]
cost: {{free: true}}
processing_time: P{days}D
deadline:
  zh-Hans: 三十天内
  en: Within 30 days
online_stage: {stage}
channels:
  - type: online
    url: https://zwfw.example.org/services/{id}
  - type: office
    office: {office}
  - type: phone
    phone: "0579-8120-{phone:04d}"
    hours:
      - days: [mon, tue, wed, thu, fri]
        opens: "08:30"
        closes: "12:00"
      - days: [mon, tue, wed, thu, fri]
        opens: "14:00"
        closes: "17:30"
  - type: village-agent
    office: baishui-village-service-point
links:
  - title: {{zh-Hans: 申请表, en: Application form}}
    url: https://zwfw.example.org/forms/{id}.pdf
related: [{related}]
last_reviewed: 2026-{month:02d}-15
"""


def generate(dest: Path, count: int, seed: int = 1) -> Path:
    """Write a catalogue of `count` services to `dest` (the demo's taxonomies, synthetic services)."""
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "services").mkdir(parents=True)
    for name in ("directory.yml", "audiences.yml", "providers.yml", "offices.yml"):
        shutil.copy(DEMO / name, dest / name)
    (dest / "life-events.yml").write_text(
        "\n".join(line for line in (DEMO / "life-events.yml").read_text(encoding="utf-8").splitlines()
                  if line) + "\n", encoding="utf-8")
    _drop_steps(dest / "life-events.yml")
    ids = [f"example-service-{n:05d}" for n in range(count)]
    for n, sid in enumerate(ids):
        text = SERVICE.format(
            id=sid, n=n, provider=rng.choice(PROVIDERS), audiences=", ".join(rng.sample(AUDIENCES, 2)),
            event=rng.choice(EVENTS), days=rng.randint(1, 30), stage=rng.randint(1, 5), office=rng.choice(OFFICES),
            phone=rng.randint(1000, 9999), related=ids[(n + 1) % count], month=rng.randint(1, 10))
        (dest / "services" / f"{sid}.yml").write_text(text, encoding="utf-8")
    return dest


def _drop_steps(path: Path) -> None:
    """Journeys name demo services; a synthetic catalogue has none of them."""
    kept, skipping = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("  steps:"):
            skipping = True
            continue
        if skipping and line.startswith("    "):
            continue
        skipping = False
        kept.append(line)
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("dest", type=Path)
    args = parser.parse_args()
    generate(args.dest, args.count)
    print(f"wrote {args.count} services to {args.dest}")

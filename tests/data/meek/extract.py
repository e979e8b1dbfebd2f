"""Write the compact Droop references vendored here from Droop's own JSON records.

Run from the repository root: ``python tests/data/meek/extract.py``. For each Droop round it
keeps the candidates' votes and the residual at the round's first elect or defeat action (the
end of the iteration that decided it), and who was elected or defeated in the round.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("GRASSROOTS_SHARED_DATA", HERE.parents[3] / "shared" / "data"))
DROOP = SHARED / "reference" / "droop"
ANCHOR = SHARED / "reference" / "anchor-runs"


def droop_stages(path: Path) -> dict[str, object]:
    """Droop's JSON record reduced to one stage per round."""
    record = json.loads(path.read_text(encoding="utf-8"))
    names = {k: v["name"] if isinstance(v, dict) else v for k, v in record["cdict"].items()}
    rounds: dict[int, list[dict[str, object]]] = {}
    for action in record["actions"]:
        if action["tag"] in ("begin", "elect", "defeat") and "cstate" in action:
            rounds.setdefault(action["round"], []).append(action)
    stages = []
    before: dict[str, str] = {}
    elected: list[str] = []
    for number, rnd in enumerate(sorted(rounds), start=1):
        first, last = rounds[rnd][0], rounds[rnd][-1]
        states = {names[k]: v["state"] for k, v in last["cstate"].items()}
        new_el = [
            names[k]
            for a in rounds[rnd]
            if a["tag"] == "elect"
            for k, v in a["cstate"].items()
            if v["state"] == "elected" and before.get(names[k]) != "elected"
        ]
        new_el = list(dict.fromkeys(new_el))
        elected.extend(new_el)
        stages.append(
            {
                "number": number,
                "round": rnd,
                "actions": [a["msg"] for a in rounds[rnd]],
                "votes": {
                    names[k]: v["vote"]
                    for k, v in first["cstate"].items()
                    if v["state"] != "withdrawn"
                },
                "non_transferable": first["residual"],
                "quota": first["quota"],
                "elected": new_el,
                "excluded": sorted(
                    (n for n, s in states.items() if s == "defeated" and before.get(n) != s),
                    key=list(names.values()).index,
                ),
            }
        )
        before = states
    return {
        "source": f"droop/ref/json/{path.relative_to(DROOP / 'ref' / 'json')}",
        "rule": record.get("rule_name", ""),
        "seats": record["seats"],
        "elected": elected,
        "stages": stages,
    }


def main() -> None:
    out = HERE / "droop"
    out.mkdir(exist_ok=True)
    refs = sorted((DROOP / "ref" / "json").glob("*-meek-prf-o6-fixed-p9-d9.txt"))
    refs += sorted((DROOP / "ref" / "json" / "meek").glob("eq*-meek-o9-guarded-p18-g9-d18.txt"))
    for ref in refs:
        stem = ref.name.removesuffix(".txt")
        blt_name = stem.split("-meek")[0] + ".blt"
        blt = DROOP / "blt" / ("meek/" + blt_name if ref.parent.name == "meek" else blt_name)
        shutil.copy(blt, out / blt_name)
        data = droop_stages(ref)
        (out / f"{stem}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    for election in ("falkirk_2021_by_election_south", "glasgow_2022_by_election_linn_ward"):
        target = HERE / "anchor" / election
        target.mkdir(parents=True, exist_ok=True)
        src = ANCHOR / "scotland-by-elections" / election
        for name in (
            "droop-0.14-meek-prf.json",
            "droop-0.14-warren.json",
            "openstv-1.7-MeekSTV.json",
            "openstv-1.7-WarrenSTV.json",
        ):
            shutil.copy(src / name, target / name)
        ballots = SHARED / "elections" / "scotland-by-elections" / election / "ballots.blt"
        shutil.copy(ballots, target / "ballots.blt")


if __name__ == "__main__":
    main()

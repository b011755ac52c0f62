"""Write a synthetic site: ``python -m benchmarks.synthetic_site OUT [--items N] ...``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.synthetic_site import SiteSpec, generate_site, write_changed_copy


def main(argv: list[str] | None = None) -> int:
    defaults = SiteSpec()
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the site into (created)")
    parser.add_argument("--items", type=int, default=defaults.items)
    parser.add_argument("--languages", type=int, default=defaults.languages)
    parser.add_argument("--views", type=int, default=defaults.views)
    parser.add_argument("--static-files", type=int, default=defaults.static_files)
    parser.add_argument("--media-mb", type=float, default=defaults.media_mb)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument(
        "--changed-copy",
        type=Path,
        help="also write the uSync folder with 2%% of items changed here",
    )
    args = parser.parse_args(argv)
    if (args.out / "uSync").exists():
        parser.error(f"{args.out / 'uSync'} already exists")
    spec = SiteSpec(
        items=args.items,
        languages=args.languages,
        views=args.views,
        static_files=args.static_files,
        media_mb=args.media_mb,
        seed=args.seed,
    )
    try:
        summary = generate_site(args.out, spec)
    except ValueError as error:
        print(f"synthetic_site: {error}", file=sys.stderr)
        return 2
    print(summary.model_dump_json(indent=2))
    if args.changed_copy:
        print(
            write_changed_copy(args.out, args.changed_copy, seed=args.seed).model_dump_json(
                indent=2
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The figure of the page "Running on a GPU" (docs/gpu.md): how an all-pairs matrix job
maps onto the device, for the kNN estimators. A diagram, not a measurement: no GPU
timing exists, so it shows no speed.

The P x P matrix is cut into tiles (the upper triangle; the lower one is its mirror).
A tile's pairs go to the device as a batch; the launch grid has one thread per (query
sample, pair), the query numbered by its position q along the pair's sorted scan
column, and each thread writes its sample's term; then one thread per pair sums its
terms in sample order. The columns are prepared on the CPU and copied to the device
once per matrix; the CPU finishes each tile (fastmi.cuda._knn,
fastmi.kernels._cuda_knn).

    python docs/scripts/gpu_layout.py    # writes docs/_static/gpu_layout.png

Runs in about a second.
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "_static" / "gpu_layout.png"

STYLE = {"font.size": 11}
CPU_FILL, DEVICE_FILL = "#f3f3f3", "#e6f0f8"
TILE, THREAD, TERM = "C1", "C3", "C0"
#: Tiles per side of the drawn matrix, the highlighted tile (row, column), pairs per
#: tile side, queries drawn along the sorted column.
N_TILES, HIGHLIGHT, TILE_SIDE, N_QUERIES = 5, (1, 3), 3, 12


def _box(ax, x, y, w, h, text, face="white", edge="0.35", **kw):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x, y), w, h, boxstyle="round,pad=0,rounding_size=0.8", fc=face, ec=edge, lw=1
        )
    )
    ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", **kw)


def _arrow(ax, start, end, text="", side="right", color="0.2", rad=0.0, offset=(0, 0)):
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={
            "arrowstyle": "-|>",
            "color": color,
            "lw": 1.4,
            "shrinkA": 0,
            "shrinkB": 0,
            "connectionstyle": f"arc3,rad={rad}",
        },
    )
    if text:
        mid = ((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1])
        ha = "left" if side == "right" else "right" if side == "left" else "center"
        ax.text(*mid, text, ha=ha, va="center", fontsize=10, color=color)


def _grid(ax, x, y, w, h, rows, cols, lw=0.6, color="0.55"):
    """Cell lines of a rows x cols grid in the rectangle (x, y, w, h)."""
    for r in range(rows + 1):
        ax.plot([x, x + w], [y + r * h / rows] * 2, color=color, lw=lw)
    for c in range(cols + 1):
        ax.plot([x + c * w / cols] * 2, [y, y + h], color=color, lw=lw)


def draw(ax):
    from matplotlib.patches import Rectangle

    ax.set_xlim(0, 100)
    ax.set_ylim(0, 60)
    ax.set_aspect("equal")
    ax.axis("off")

    # The two lanes.
    ax.add_patch(Rectangle((0, 31.5), 100, 28.5, fc=CPU_FILL, ec="none"))
    ax.add_patch(Rectangle((0, 0), 100, 30.5, fc=DEVICE_FILL, ec="none"))
    ax.text(1, 58.3, "CPU", fontsize=13, weight="bold", va="center")
    ax.text(
        99, 58.3, "the kNN estimators: ksg, ksg2, mixed (Ross)",
        ha="right", va="center", fontsize=10, color="0.35",
    )  # fmt: skip
    ax.text(1, 28.8, "GPU (device)", fontsize=13, weight="bold", va="center", color="#1f4e79")

    # CPU: prepare the columns.
    _box(
        ax, 1.5, 39, 17.5, 12,
        "prepare the columns\n(ranks, scaling,\njitter, sort orders)",
        fontsize=10,
    )  # fmt: skip

    # CPU: the P x P matrix in tiles, the upper triangle computed.
    side = 22
    mx, my = 31, 33.5
    cell = side / N_TILES
    for r in range(N_TILES):
        for c in range(N_TILES):
            face = TILE if (r, c) == HIGHLIGHT else "white" if c >= r else "0.9"
            ax.add_patch(
                Rectangle(
                    (mx + c * cell, my + side - (r + 1) * cell), cell, cell,
                    fc=face, ec="0.4" if c >= r else "0.75", lw=0.8,
                )
            )  # fmt: skip
    ax.text(mx + side / 2, my + side + 1.3, "P × P matrix in tiles", ha="center", fontsize=10)
    ax.text(
        mx - 1,
        my + 0.3 * side,
        "grey: the mirror\nimage, not\ncomputed",
        ha="right",
        va="center",
        fontsize=9,
        color="0.4",
    )
    hr, hc = HIGHLIGHT
    tile_x, tile_y = mx + hc * cell, my + side - (hr + 1) * cell

    # CPU: finish the tile.
    _box(
        ax, 74, 39, 24, 12,
        "finish the tile\n(base, clip, normalize),\nwrite it to the matrix\nor to out=",
        fontsize=10,
    )  # fmt: skip

    # Device: the prepared columns, copied once.
    cx, cy, cw, ch = 1.5, 5, 19, 15
    for r in range(6):
        ax.add_patch(
            Rectangle((cx, cy + r * ch / 6), cw, ch / 6 * 0.8, fc="white", ec="0.45", lw=0.8)
        )
    ax.text(cx + cw / 2, cy + ch + 1.3, "prepared columns", ha="center", fontsize=10)
    ax.text(
        cx + cw / 2, cy - 0.8, "P rows of n samples,\nread by every thread",
        ha="center", va="top", fontsize=9, color="0.3",
    )  # fmt: skip
    _arrow(ax, (10.25, 39), (10.25, cy + ch + 3.2), "copied once\nper matrix", offset=(1, 4))

    # Device: the tile's pairs as a batch.
    bx, bw, bh = 26, 6.5, 2.2
    n_pairs = TILE_SIDE * TILE_SIDE
    by = 3.5
    for t in range(n_pairs):
        y = by + (n_pairs - 1 - t) * bh
        ax.add_patch(Rectangle((bx, y), bw, bh, fc="#fbe3cc", ec="0.4", lw=0.8))
        a = hr * TILE_SIDE + t // TILE_SIDE
        b = hc * TILE_SIDE + t % TILE_SIDE
        ax.text(bx + bw / 2, y + bh / 2, f"({a},{b})", ha="center", va="center", fontsize=9)
    ax.text(
        bx - 0.5, by + n_pairs * bh + 1.3, "the tile's pairs\n(a, b), a batch",
        ha="center", va="bottom", fontsize=10,
    )  # fmt: skip
    _arrow(ax, (tile_x + cell / 2, tile_y), (bx + bw / 2 + 1, by + n_pairs * bh + 6.5))

    # Device: the launch grid, one thread per (query q, pair t).
    gx, gw = 37, 22
    gy, gh = by, n_pairs * bh
    for t in range(n_pairs):
        ax.plot([bx + bw, gx], [by + (t + 0.5) * bh] * 2, color="0.7", lw=0.6, ls=":")
    ax.add_patch(Rectangle((gx, gy), gw, gh, fc="white", ec="none"))
    qw = gw / N_QUERIES
    thread_q, thread_t = 7, 2
    ax.add_patch(
        Rectangle(
            (gx + thread_q * qw, gy + (n_pairs - 1 - thread_t) * bh), qw, bh,
            fc=THREAD, ec="none",
        )
    )  # fmt: skip
    _grid(ax, gx, gy, gw, gh, n_pairs, N_QUERIES)
    ax.text(
        gx + gw / 2, gy + gh + 1.3, "launch grid: one thread\nper query q and pair t",
        ha="center", va="bottom", fontsize=10,
    )  # fmt: skip
    ax.text(
        gx + gw / 2, gy - 1.6, "query q along a's sorted column →",
        ha="center", fontsize=9, color="0.3",
    )  # fmt: skip

    # Device: the per-sample terms (thread (q, t) writes the term of sample i =
    # order[a, q], the sample at position q), then the per-pair sums.
    tx, tw = 63, 14
    sample = 3  # the sample at the highlighted thread's position q
    row_y = gy + (n_pairs - 1 - thread_t) * bh
    iw = tw / N_QUERIES
    ax.add_patch(Rectangle((tx, gy), tw, gh, fc="white", ec="none"))
    ax.add_patch(Rectangle((tx + sample * iw, row_y), iw, bh, fc=TERM, ec="none"))
    _grid(ax, tx, gy, tw, gh, n_pairs, N_QUERIES)
    ax.text(
        tx + tw / 2, gy + gh + 1.3, "a term per\nsample i", ha="center", va="bottom", fontsize=10
    )
    ax.annotate(
        "",
        xy=(tx + (sample + 0.5) * iw, row_y + bh),
        xytext=(gx + (thread_q + 0.5) * qw, row_y + bh),
        arrowprops={
            "arrowstyle": "-|>",
            "color": THREAD,
            "lw": 1.4,
            "shrinkA": 0,
            "shrinkB": 0,
            "connectionstyle": "arc3,rad=-0.45",
        },
    )
    ax.text(tx + tw / 2, gy - 1.6, "sample i →", ha="center", fontsize=9, color="0.3")

    sx, sw = 81, 3.5
    for t in range(n_pairs):
        y = by + (n_pairs - 1 - t) * bh
        ax.add_patch(Rectangle((sx, y), sw, bh, fc="#fbe3cc", ec="0.4", lw=0.8))
        ax.annotate(
            "",
            xy=(sx, y + bh / 2),
            xytext=(tx + tw, y + bh / 2),
            arrowprops={"arrowstyle": "-|>", "color": "0.45", "lw": 0.7, "shrinkA": 1},
        )
    ax.text(sx + sw / 2, gy + gh + 1.3, "MI per\npair", ha="center", va="bottom", fontsize=10)
    ax.text(
        sx + sw + 1, gy + gh / 2, "one thread\nper pair sums\nits terms in\nsample order",
        va="center", fontsize=10,
    )  # fmt: skip
    _arrow(
        ax, (sx + sw / 2, gy + gh + 6.8), (sx + sw / 2, 39), "values", side="right", offset=(1, 0)
    )
    _arrow(ax, (74, 45), (mx + side + 0.8, 45), color="0.45")


def main(path=OUT) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(10, 6))
        fig.subplots_adjust(0.005, 0.005, 0.995, 0.995)
        draw(ax)
        fig.savefig(path, dpi=90)
        plt.close(fig)
    return Path(path)


if __name__ == "__main__":
    main()

"""Small built-in datasets for examples, the demo and tests."""

from __future__ import annotations

_WEATHER_COLUMNS = ("outlook", "temperature", "humidity", "windy", "play")
_WEATHER_ROWS = (
    ("sunny", "hot", "high", False, "no"),
    ("sunny", "hot", "high", True, "no"),
    ("overcast", "hot", "high", False, "yes"),
    ("rainy", "mild", "high", False, "yes"),
    ("rainy", "cool", "normal", False, "yes"),
    ("rainy", "cool", "normal", True, "no"),
    ("overcast", "cool", "normal", True, "yes"),
    ("sunny", "mild", "high", False, "no"),
    ("sunny", "cool", "normal", False, "yes"),
    ("rainy", "mild", "normal", False, "yes"),
    ("sunny", "mild", "normal", True, "yes"),
    ("overcast", "mild", "high", True, "yes"),
    ("overcast", "hot", "normal", False, "yes"),
    ("rainy", "mild", "high", True, "no"),
)


def load_weather() -> dict[str, list]:
    """The 14-day "play tennis" weather table (Quinlan 1986), column by column.

    Four discrete weather attributes and whether a game was played. Its information
    gains, I(attribute; play), are the classic worked example of decision-tree
    learning: outlook 0.247, humidity 0.152, windy 0.048, temperature 0.029 bits.

    Returns
    -------
    dict of str to list
        ``{"outlook": [...], "temperature": [...], "humidity": [...], "windy": [...],
        "play": [...]}``, 14 values each; pass it to ``pandas.DataFrame`` for a table.

    References
    ----------
    .. [1] J. R. Quinlan, "Induction of decision trees", Machine Learning 1, 81-106
       (1986).

    Examples
    --------
    >>> import fastmi
    >>> from fastmi.datasets import load_weather
    >>> weather = load_weather()
    >>> round(fastmi.mi(weather["outlook"], weather["play"], base=2), 3)
    0.247
    """
    return {name: [row[j] for row in _WEATHER_ROWS] for j, name in enumerate(_WEATHER_COLUMNS)}

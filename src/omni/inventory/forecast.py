"""Demand forecasts for replenishment (INV10), and how good they are.

The model is Holt-Winters exponential smoothing with a weekly season (statsmodels):
shops sell by weekday, and the level drifts with the season and the range. It is judged
the way forecasters judge: MASE on a held-out tail against the seasonal-naive forecast
("same weekday last week"), the baseline any model must beat to be worth its keep. A
MASE below 1 beats the in-sample naive error; the backtest reports both side by side.

Series too short or too sparse to fit fall back to their recent mean, which is what a
planner would use by hand. statsmodels is imported lazily: it takes seconds to load and
only planning runs need it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import fmean, pstdev

PERIOD = 7  # weekly season on daily demand
HOLDOUT_DAYS = 28
MIN_FIT_DAYS = 6 * PERIOD  # fewer than six weeks: not enough to estimate a season
MIN_SELLING_DAYS = 8  # a handful of sales a year: a rate, not a shape
RECENT_DAYS = 8 * PERIOD


@dataclass(frozen=True)
class Forecast:
    daily: float  # expected demand per day over the horizon
    sigma: float  # standard deviation of one day's forecast error
    method: str  # holt_winters | recent_mean | no_history

    @classmethod
    def none(cls) -> Forecast:
        return cls(0.0, 0.0, "no_history")


def seasonal_naive(history: Sequence[float], horizon: int, period: int = PERIOD) -> list[float]:
    """Each day forecast as the same weekday of the last observed week."""
    last_season = list(history[-period:])
    return [last_season[day % period] for day in range(horizon)]


def mase(
    actual: Sequence[float],
    predicted: Sequence[float],
    training: Sequence[float],
    period: int = PERIOD,
) -> float | None:
    """Mean absolute scaled error (Hyndman & Koehler, 2006); None when the scale is 0."""
    if len(training) <= period:
        return None
    scale = fmean(abs(training[i] - training[i - period]) for i in range(period, len(training)))
    if scale == 0:
        return None
    return fmean(abs(a - p) for a, p in zip(actual, predicted, strict=True)) / scale


def predict(history: Sequence[float], horizon: int) -> tuple[list[float], float, str]:
    """Daily forecasts for ``horizon`` days, the one-day error sigma, the method used."""
    if not history or not any(history):
        return [0.0] * horizon, 0.0, Forecast.none().method
    selling_days = sum(1 for units in history if units > 0)
    if len(history) < MIN_FIT_DAYS or selling_days < MIN_SELLING_DAYS:
        recent = list(history[-RECENT_DAYS:])
        return [fmean(recent)] * horizon, pstdev(recent), "recent_mean"
    return _holt_winters(history, horizon)


def _holt_winters(history: Sequence[float], horizon: int) -> tuple[list[float], float, str]:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    with warnings.catch_warnings():
        # Short, spiky retail series often stop the optimiser early; the fit is still
        # usable, and the backtest is what tells us whether it is good.
        warnings.simplefilter("ignore")
        # No brute-force grid for starting values: it halves the speed and, measured on
        # the demo's year of demand, buys no accuracy.
        fitted = ExponentialSmoothing(
            [float(units) for units in history],
            trend=None,
            seasonal="add",
            seasonal_periods=PERIOD,
            initialization_method="estimated",
        ).fit(use_brute=False)
        path = fitted.forecast(horizon)
    residuals = [float(r) for r in fitted.resid]
    # Demand is never negative: a season that dips below zero means "none".
    return [max(0.0, float(units)) for units in path], pstdev(residuals), "holt_winters"


def forecast(history: Sequence[float], horizon: int) -> Forecast:
    path, sigma, method = predict(history, horizon)
    daily = fmean(path) if path else 0.0
    return Forecast(daily=daily, sigma=sigma if math.isfinite(sigma) else 0.0, method=method)


def recent_rate(history: Sequence[float]) -> Forecast:
    """The recent mean: cheap, for locations that only matter as possible donors."""
    recent = list(history[-RECENT_DAYS:])
    if not any(recent):
        return Forecast.none()
    return Forecast(daily=fmean(recent), sigma=pstdev(recent), method="recent_mean")


@dataclass(frozen=True)
class Backtest:
    """Forecast error on each series' last ``holdout_days``, model against baseline."""

    series: int  # series with a usable scale (some demand, not constant)
    holdout_days: int
    model_mase: float | None
    seasonal_naive_mase: float | None
    model_better_share: float | None  # share of series where the model's error is lower

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "series": self.series,
            "holdout_days": self.holdout_days,
            "model_mase": _rounded(self.model_mase),
            "seasonal_naive_mase": _rounded(self.seasonal_naive_mase),
            "model_better_share": _rounded(self.model_better_share),
        }


def backtest(all_series: Iterable[Sequence[float]], holdout_days: int = HOLDOUT_DAYS) -> Backtest:
    model_errors: list[float] = []
    naive_errors: list[float] = []
    for series in all_series:
        training, actual = list(series[:-holdout_days]), list(series[-holdout_days:])
        if len(actual) < holdout_days or len(training) <= PERIOD:
            continue
        path, _sigma, _method = predict(training, holdout_days)
        model = mase(actual, path, training)
        naive = mase(actual, seasonal_naive(training, holdout_days), training)
        if model is None or naive is None:
            continue
        model_errors.append(model)
        naive_errors.append(naive)
    pairs = list(zip(model_errors, naive_errors, strict=True))
    return Backtest(
        series=len(pairs),
        holdout_days=holdout_days,
        model_mase=fmean(model_errors) if pairs else None,
        seasonal_naive_mase=fmean(naive_errors) if pairs else None,
        model_better_share=sum(m < n for m, n in pairs) / len(pairs) if pairs else None,
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)

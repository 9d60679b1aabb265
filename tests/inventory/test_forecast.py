"""Demand forecasts: the error measure, the baseline, and the model against it."""

import random

import pytest

from omni.inventory import forecast

WEEKDAY_SHAPE = (0.7, 0.8, 0.9, 1.0, 1.2, 1.6, 1.3)


def weekly_demand(rate: float, days: int, seed: int) -> list[float]:
    """Poisson demand with a weekday shape: what a store's SKU sells day by day."""
    rng = random.Random(seed)
    series = []
    for day in range(days):
        mean = rate * WEEKDAY_SHAPE[day % 7]
        # Poisson by counting exponential gaps: no numpy needed in the test.
        units, elapsed = 0, rng.expovariate(1.0)
        while elapsed < mean:
            units += 1
            elapsed += rng.expovariate(1.0)
        series.append(float(units))
    return series


def test_seasonal_naive_repeats_the_last_week():
    history = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    assert forecast.seasonal_naive(history, 9) == [8, 9, 10, 11, 12, 13, 14, 8, 9]


def test_mase_scales_by_the_in_sample_seasonal_naive_error():
    training = [0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2]  # naive error 2 per day
    assert forecast.mase([3, 3], [2, 2], training) == pytest.approx(0.5)
    assert forecast.mase([3], [3], [1] * 14) is None  # constant history: no scale


def test_no_history_forecasts_nothing_and_short_history_uses_its_recent_mean():
    assert forecast.forecast([], 28) == forecast.Forecast.none()
    assert forecast.forecast([0.0] * 100, 28).daily == 0
    short = forecast.forecast([2.0, 4.0, 0.0, 2.0], 28)
    assert short.method == "recent_mean"
    assert short.daily == pytest.approx(2.0)


def test_a_year_of_weekday_shaped_demand_is_fitted_with_holt_winters():
    fitted = forecast.forecast(weekly_demand(3.0, 364, seed=1), 28)
    assert fitted.method == "holt_winters"
    assert fitted.daily == pytest.approx(3.0 * sum(WEEKDAY_SHAPE) / 7, rel=0.25)
    assert fitted.sigma > 0


def test_the_model_beats_seasonal_naive_on_noisy_weekly_demand():
    series = [weekly_demand(rate, 364, seed) for seed, rate in enumerate((0.5, 1, 2, 4, 8))]
    result = forecast.backtest(series)
    assert result.series == 5
    assert result.model_mase is not None and result.seasonal_naive_mase is not None
    assert result.model_mase < result.seasonal_naive_mase
    assert result.as_dict()["holdout_days"] == forecast.HOLDOUT_DAYS


def test_forecasts_are_never_negative():
    spiky = [0.0] * 300 + [40.0, 0, 0, 0, 0, 0, 0] * 8
    path, _sigma, _method = forecast.predict(spiky, 28)
    assert min(path) >= 0

"""Reports on participation: charts and the figures behind them."""

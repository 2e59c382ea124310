"""The province exchange: the daily import package, the county report, the registration form."""

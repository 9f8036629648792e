resource "aws_budgets_budget" "checkout_monthly" {
  name         = "checkout-monthly"
  budget_type  = "COST"
  limit_amount = "800"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 80
    threshold_type             = "PERCENTAGE"
    notification_type          = "FORECASTED"
    subscriber_email_addresses = ["checkout-team@example.com"]
  }

  tags = {
    owner         = "checkout-team"
    "cost-center" = "cc-1042"
    service       = "checkout"
  }
}

variable "db_password" {
  description = "Password of the orders database, from the secrets manager"
  type        = string
  sensitive   = true
}

variable "api_token" {
  type      = string
  sensitive = true
}

resource "aws_db_instance" "orders" {
  identifier          = "orders-prod"
  engine              = "postgres"
  username            = "orders_admin"
  password            = var.db_password
  skip_final_snapshot = false
}

data "aws_secretsmanager_secret_version" "stripe" {
  secret_id = "prod/stripe/secret_key"
}

locals {
  stripe_secret_key = data.aws_secretsmanager_secret_version.stripe.secret_string
  token             = var.api_token
}

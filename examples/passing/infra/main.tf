provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      owner         = "checkout-team"
      "cost-center" = "cc-1042"
      service       = "checkout"
    }
  }
}

resource "aws_db_instance" "checkout" {
  identifier          = "checkout"
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.t4g.medium"
  allocated_storage   = 50
  multi_az            = true
  deletion_protection = true
}

resource "aws_sqs_queue" "order_events" {
  name                      = "checkout-order-events"
  message_retention_seconds = 345600
}

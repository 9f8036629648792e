provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "exports" {
  bucket = "acme-inventory-exports"
}

resource "aws_db_instance" "reporting" {
  identifier        = "inventory-reporting"
  engine            = "mysql"
  instance_class    = "db.t4g.small"
  allocated_storage = 20
}

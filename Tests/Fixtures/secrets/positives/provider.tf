terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

provider "aws" {
  region     = "eu-central-1"
  access_key = "AKIAA4QKWYNS6DDW3A57"
  secret_key = "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"
}

resource "aws_s3_bucket" "exports" {
  bucket = "acme-exports-prod"
}

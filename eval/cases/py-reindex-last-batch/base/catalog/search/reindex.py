import logging

from catalog.models import Product
from catalog.search.client import search_client

logger = logging.getLogger(__name__)


def reindex_products(index_name: str) -> int:
    products = list(Product.objects.filter(is_active=True).values("id", "sku", "title", "description", "price"))
    search_client.bulk_index(index_name, products)
    logger.info("reindexed %d products into %s", len(products), index_name)
    return len(products)

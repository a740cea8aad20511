import logging

from catalog.models import Product
from catalog.search.client import search_client

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


def reindex_products(index_name: str) -> int:
    ids = list(Product.objects.filter(is_active=True).order_by("id").values_list("id", flat=True))
    indexed = 0
    for start in range(0, len(ids) - BATCH_SIZE, BATCH_SIZE):
        batch_ids = ids[start : start + BATCH_SIZE]
        products = list(
            Product.objects.filter(id__in=batch_ids).values("id", "sku", "title", "description", "price")
        )
        search_client.bulk_index(index_name, products)
        indexed += len(products)
    logger.info("reindexed %d products into %s", indexed, index_name)
    return indexed
